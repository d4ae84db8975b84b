#!/usr/bin/env python3
"""rxrpc-spring end-to-end benchmark: our engine vs OpenAFS's C Rx library, side by side in one run.

Run through bench/run.sh (see bench/README.md). Builds what it needs, then measures on loopback, on this machine:
  - small RPCs (3 B up, 30 B down) at 1/8/64 concurrent calls: calls/s, p50/p90/p99/max latency;
  - one-call bulk transfers each way, jumbograms on and off: MB/s, and CPU seconds per GiB of both ends;
  - the raw UDP ceiling for the same datagram sizes (bench/src/udpblast.c);
  - rxkad (section `rxkad`): small RPCs at 1/8 concurrent and one-call bulk each way (jumbograms on) at the levels
    clear, auth and crypt, with -localauth-style tickets minted from throw-away keys in bench/target/rxkad-keys;
  - the same bulk and small-call tests across our own deterministic impairment relay (bench/src/impair-relay.c):
    5 ms each way, 0 / 1 / 5 % loss per direction. As root with `ip netns`, that link runs between network namespaces
    the harness creates and deletes itself (client rxbench-c-<pid> 10.233.1.1 -> relay rxbench-r-<pid> -> server
    rxbench-s-<pid> 10.233.2.2, veth pairs, no route around the relay); otherwise (or --lossy-link loopback) on
    loopback. The report's header says which;
for the four pairings C client -> C server, C client -> our server, our client -> C server, our client -> our
server. The C peer (interop/openafs-peer) is built on Debian's libopenafs-dev: it is the OpenAFS reference.
Writes bench/results/<stamp>[-quick].{md,svg,jsonl} and latest[-quick].{md,svg,jsonl}.
"""

import argparse
import atexit
import datetime
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "bench", "target")
RESULTS = os.path.join(ROOT, "bench", "results")
JAR = os.path.join(ROOT, "examples", "rxperf", "target", "rxperf.jar")
CPEER = os.path.join(TARGET, "rxperf-peer")
UDPBLAST = os.path.join(TARGET, "udpblast")
RELAY = os.path.join(TARGET, "impair-relay")
UDPBUF = 4 * 1024 * 1024  # both implementations get the same socket buffers (OpenAFS's 64 KiB default stalls 6 s at 64 calls)
# Our client is a fresh JVM per run and is measured in steady state, as the long-lived servers are: its JIT settles
# after about 6 s of small RPC, and with 1 s its calls/s came out at about half of steady state
# (bench/results/client-warmup-2026-11-29.md); as a bulk sender to the C server it used 5.7 CPU s per GiB once warm.
# The C client needs none.
CLIENT_WARMUP_S = 10
CLK_TCK = os.sysconf("SC_CLK_TCK")
GIB = 1024 ** 3
# Rx datagram sizes (UDP payload): one 1412-byte packet with its 28-byte header + 4 (as the OpenAFS notes measure),
# and a 4-packet jumbogram: 28 + 4 * 1412 + 3 * 4.
DATAGRAM_SIZES = [1444, 5688]

PAIRS = [("c", "c"), ("c", "ours"), ("ours", "c"), ("ours", "ours")]
NAMES = {"c": "OpenAFS C", "ours": "rxrpc-spring"}


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def build(skip_java):
    os.makedirs(TARGET, exist_ok=True)
    log("building the C peer, udpblast and impair-relay (gcc)")
    sh([os.path.join(ROOT, "interop", "openafs-peer", "build.sh"), CPEER])
    sh(["gcc", "-O2", "-Wall", "-o", UDPBLAST, os.path.join(ROOT, "bench", "src", "udpblast.c"), "-lpthread"])
    sh(["gcc", "-O2", "-Wall", "-o", RELAY, os.path.join(ROOT, "bench", "src", "impair-relay.c")])
    if skip_java and os.path.exists(JAR):
        log("reusing " + JAR)
    else:
        log("building examples/rxperf (Maven, -am, tests skipped)")
        sh([os.path.join(ROOT, "mvnw"), "-B", "-q", "-pl", "examples/rxperf", "-am", "package", "-DskipTests"],
           cwd=ROOT)


def free_port():
    """A UDP port that is free now, well away from the 7000-7009 range other people's servers use."""
    while True:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        if port > 20000:
            return port


def port_bound(port, ns=None, addr="127.0.0.1"):
    if ns is not None:
        # Inside a namespace of ours: ask a short-lived python there (its sockets are not ours to bind from here).
        probe = f"import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(('{addr}', {port}))"
        return subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-c", probe],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind((addr, port))
        return False
    except OSError:
        return True
    finally:
        s.close()


def in_ns(ns, cmd):
    return cmd if ns is None else ["ip", "netns", "exec", ns] + cmd


class NetnsLink:
    """The lossy link of issue 4: three network namespaces of our own, client | relay | server, joined by two veth
    pairs whose addresses exist only inside them. The client's namespace has no route to the server's and the relay's
    namespace does not forward, so every datagram crosses the user-space impairment relay. `ip netns exec` execs the
    command, so the pids we hold are the servers' and clients' own (their /proc CPU figures stay right)."""

    C_ADDR, RELAY_C_ADDR = "10.233.1.1", "10.233.1.2"  # client side, 10.233.1.0/30
    RELAY_S_ADDR, S_ADDR = "10.233.2.1", "10.233.2.2"  # server side, 10.233.2.0/30

    def __init__(self):
        tag = os.getpid()
        self.client_ns, self.relay_ns, self.server_ns = f"rxbench-c-{tag}", f"rxbench-r-{tag}", f"rxbench-s-{tag}"
        self.created = []
        atexit.register(self.close)  # also on an exception that escapes main; SIGTERM unwinds through finally
        try:
            for ns in (self.client_ns, self.relay_ns, self.server_ns):
                sh(["ip", "netns", "add", ns])
                self.created.append(ns)
            # Both veth ends are created inside the namespaces (-n): nothing ever appears among the machine's links.
            sh(["ip", "-n", self.relay_ns, "link", "add", "rx-c", "type", "veth", "peer", "name", "rx-r", "netns",
                self.client_ns])
            sh(["ip", "-n", self.relay_ns, "link", "add", "rx-s", "type", "veth", "peer", "name", "rx-r", "netns",
                self.server_ns])
            for ns, dev, addr in ((self.client_ns, "rx-r", self.C_ADDR), (self.relay_ns, "rx-c", self.RELAY_C_ADDR),
                                  (self.relay_ns, "rx-s", self.RELAY_S_ADDR), (self.server_ns, "rx-r", self.S_ADDR)):
                sh(["ip", "-n", ns, "addr", "add", addr + "/30", "dev", dev])
                sh(["ip", "-n", ns, "link", "set", dev, "up"])
            for ns in self.created:
                sh(["ip", "-n", ns, "link", "set", "lo", "up"])
            sh(["ip", "netns", "exec", self.relay_ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=0"])
            # The only way across is the relay: the client cannot even route to the server.
            if subprocess.run(["ip", "-n", self.client_ns, "route", "get", self.S_ADDR], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0:
                raise RuntimeError("the client namespace has a route to the server: refusing to measure")
        except BaseException:
            self.close()
            raise
        log(f"lossy link: namespaces {self.client_ns} ({self.C_ADDR}) -> {self.relay_ns} ({self.RELAY_C_ADDR} | "
            f"{self.RELAY_S_ADDR}, impair-relay) -> {self.server_ns} ({self.S_ADDR})")

    def describe(self):
        return (f"network namespaces {self.client_ns} ({self.C_ADDR}) -> {self.relay_ns} (impair-relay, "
                f"{self.RELAY_C_ADDR} | {self.RELAY_S_ADDR}) -> {self.server_ns} ({self.S_ADDR}), veth pairs, "
                "no route around the relay")

    def close(self):
        while self.created:
            ns = self.created.pop()
            subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)


def netns_usable():
    """Why the namespace link cannot be used (None if it can): it needs root and iproute2's `ip netns`."""
    if os.geteuid() != 0:
        return "not root"
    if shutil.which("ip") is None or subprocess.run(["ip", "netns", "list"], stdout=subprocess.DEVNULL,
                                                    stderr=subprocess.DEVNULL).returncode != 0:
        return "`ip netns` unavailable"
    return None


def cpu_seconds(pid):
    """utime + stime of a running process (and its reaped children), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


class Server:
    def __init__(self, impl, jumbo, ns=None, port=None, addr="127.0.0.1", extra=(), tag=""):
        self.impl, self.jumbo = impl, jumbo
        self.port = port or free_port()
        if impl == "c":
            cmd = [CPEER, "server", "-p", str(self.port), "-u", str(UDPBUF)] + ([] if jumbo else ["-j"])
        else:
            cmd = ["java", "-jar", JAR, "server", "-p", str(self.port), "-u", str(UDPBUF)] + \
                  ([] if jumbo else ["--no-jumbo"])
        if addr != "127.0.0.1":
            cmd += ["-a" if impl == "c" else "-H", addr]
        cmd += list(extra)
        self.out = open(os.path.join(TARGET, f"server-{impl}-{'j' if jumbo else 'nj'}{'-netns' if ns else ''}{tag}.log"),
                        "w")
        cmd = in_ns(ns, cmd)
        self.proc = subprocess.Popen(cmd, stdout=self.out, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while not port_bound(self.port, ns, addr):
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()  # a server that never bound must not outlive the run (nor keep a namespace alive)
                raise RuntimeError(f"server {cmd} did not start; see {self.out.name}")
            time.sleep(0.1)
        log(f"{NAMES[impl]} server (jumbo {'on' if jumbo else 'off'}) pid {self.proc.pid} on port {self.port}"
            + (f" in {ns}" if ns else ""))

    def cpu(self):
        return cpu_seconds(self.proc.pid)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()


class Relay:
    """One impair-relay process: on loopback (fallback), or in the relay namespace of a NetnsLink, listening on its
    client-side address and forwarding to the server's address on the other veth."""

    def __init__(self, target_port, loss, delay_ms, seed, link=None):
        cmd = [RELAY, "-t", str(target_port), "-d", str(delay_ms), "-L", str(loss), "-s", str(seed)]
        if link is None:
            self.port, self.host, ns, addr = free_port(), "127.0.0.1", None, "127.0.0.1"
            cmd += ["-l", str(self.port)]
        else:
            self.port, self.host, ns, addr = 7300, link.RELAY_C_ADDR, link.relay_ns, link.RELAY_C_ADDR
            cmd += ["-l", str(self.port), "-a", link.RELAY_C_ADDR, "-T", link.S_ADDR, "-b", link.RELAY_S_ADDR]
        self.proc = subprocess.Popen(in_ns(ns, cmd), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 10
        while not port_bound(self.port, ns, addr):
            if self.proc.poll() is not None or time.time() > deadline:
                if self.proc.poll() is None:
                    self.proc.kill()
                raise RuntimeError("impair-relay did not start: " + (self.proc.communicate()[0] or ""))
            time.sleep(0.02)

    def stop(self):
        self.proc.terminate()
        try:
            out, _ = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()  # no counters then, but no relay left behind either
            out, _ = self.proc.communicate()
        for line in out.splitlines():
            if line.startswith("{"):
                return json.loads(line)
        return None


def client_cmd(impl, port, jumbo, args, host="127.0.0.1"):
    if impl == "c":
        # The C peer refuses non-loopback servers unless told: only the namespace link's private addresses get here.
        return [CPEER, "client", "-s", host, "-p", str(port), "-u", str(UDPBUF), "--json"] + args + \
               ([] if jumbo else ["-j"]) + ([] if host.startswith("127.") else ["--allow-remote"])
    return ["java", "-jar", JAR, "client", "-s", host, "-p", str(port), "-u", str(UDPBUF), "--json"] + \
        args + ([] if jumbo else ["--no-jumbo"])


MEASURING = "rxperf: measuring"  # our client's stderr line when its warm-up is over (RxperfMain.MEASURING_MARKER)


def run_client(impl, port, jumbo, args, server, timeout, host="127.0.0.1", ns=None):
    """Runs one client (in network namespace ns if given); returns its JSON result, plus the CPU seconds of the
    server meanwhile: from our client's MEASURING line on, when it prints one, so a warm-up is not counted."""
    cmd = in_ns(ns, client_cmd(impl, port, jumbo, args, host))
    s0 = server.cpu()
    t0 = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    got = {"out": [], "err": []}

    def pump(stream, lines, watch):
        for line in stream:
            if watch and "s0" not in got and line.rstrip("\n") == MEASURING:
                got["s0"] = server.cpu()
            lines.append(line)

    readers = [threading.Thread(target=pump, args=(proc.stdout, got["out"], False), daemon=True),
               threading.Thread(target=pump, args=(proc.stderr, got["err"], True), daemon=True)]
    for t in readers:
        t.start()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return {"error": f"timeout after {timeout} s", "cmd": cmd}
    except KeyboardInterrupt:
        proc.kill()
        proc.wait()
        raise
    for t in readers:
        t.join(10)
    out, err = "".join(got["out"]), "".join(got["err"])
    # The client's own CPU: wait4 already reaped it, so Runner.measure takes RUSAGE_CHILDREN deltas instead.
    wall = time.time() - t0
    s1 = server.cpu()
    line = next((l for l in reversed(out.splitlines()) if l.startswith("{")), None)
    if line is None:
        return {"error": f"no JSON (exit {proc.returncode})", "stderr": err[-2000:], "cmd": cmd}
    r = json.loads(line)
    r["exit"] = proc.returncode
    r["serverCpuS"] = round(s1 - got.get("s0", s0), 3)
    r["serverCpuFromMarker"] = "s0" in got
    r["wallS"] = round(wall, 3)
    r["cmd"] = " ".join(os.path.basename(c) if c in (CPEER, JAR, RELAY) else c for c in cmd)
    return r


class Runner:
    def __init__(self, raw_path, reps):
        self.raw = open(raw_path, "w")
        self.reps = reps
        self.rows = {}  # key -> list of results

    def record(self, key, meta, r):
        self.rows.setdefault(key, []).append(r)
        self.raw.write(json.dumps(dict(meta, key=key, result=r)) + "\n")
        self.raw.flush()

    def measure(self, key, meta, fn, reps=None):
        for i in range(reps or self.reps):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            r = fn()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            r["clientProcessCpuS"] = round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 3)
            # Our client reports its own CPU over the measured run (cpuS), without its JVM start and warm-up; the
            # C client's whole process is the measured run (it starts in milliseconds and has no warm-up).
            r["clientCpuS"] = r["cpuS"] if r.get("cpuS") is not None else r["clientProcessCpuS"]
            r["rep"] = i
            self.record(key, meta, r)
            brief = {k: r.get(k) for k in ("callsPerSec", "p99Us", "maxUs", "mbPerSec", "errors", "error",
                                           "clientCpuS", "serverCpuS") if k in r}
            log(f"{key} #{i}: {brief}")


def med(rs, field):
    vals = [r[field] for r in rs if field in r and r.get("errors", 0) == 0 and "error" not in r]
    return statistics.median(vals) if vals else None


def worst(rs, field):
    vals = [r[field] for r in rs if field in r]
    return max(vals) if vals else None


def parse_size(text):
    mult = {"k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}
    t = text.strip().lower()
    return int(float(t[:-1]) * mult[t[-1]]) if t[-1] in mult else int(t)


def cpu_per_gib(rs):
    """Both ends' CPU seconds over the bytes moved, both over the measured run only: our client's JVM start and
    warm-up are left out, as the long-lived servers' are (clientProcessCpuS in the raw lines keeps the whole
    process)."""
    vals = [(r["clientCpuS"] + r["serverCpuS"]) / (r["payloadBytes"] / GIB) for r in rs
            if r.get("payloadBytes") and "error" not in r and r.get("errors", 0) == 0]
    return statistics.median(vals) if vals else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="short runs, one repetition (< ~3 min after the build)")
    ap.add_argument("--bulk-bytes", default=None, help="bytes per bulk call (default 1g, quick 64m)")
    ap.add_argument("--lossy-bytes", default=None, help="bytes per bulk call across the lossy link (5m, quick 1m)")
    ap.add_argument("--reps", type=int, default=None, help="repetitions per loopback test (3, quick 1)")
    ap.add_argument("--bulk-reps", type=int, default=None, help="repetitions per bulk test (1: a 1 GiB call is long)")
    ap.add_argument("--lossy-reps", type=int, default=None, help="repetitions per lossy test (1)")
    ap.add_argument("--rpc-seconds", type=float, default=None, help="seconds per RPC run (5, quick 2)")
    ap.add_argument("--skip-build", action="store_true", help="reuse bench/target and rxperf.jar if present")
    ap.add_argument("--report-from", metavar="JSONL", help="only rewrite the reports of an earlier run from its raw lines")
    ap.add_argument("--only", default="rpc,bulk,udp,lossy,rxkad", help="comma list of sections to run")
    ap.add_argument("--rxkad-bytes", default=None, help="bytes per rxkad bulk call (default 256m, quick 32m)")
    ap.add_argument("--lossy-link", choices=("auto", "netns", "loopback"), default="auto",
                    help="where the lossy link runs: network namespaces of our own (needs root and `ip netns`), "
                         "loopback, or auto: namespaces when possible, else loopback (default)")
    a = ap.parse_args()
    if a.report_from:
        rewrite_report(a.report_from)
        return
    quick = a.quick
    bulk = a.bulk_bytes or ("64m" if quick else "1g")
    lossy_bytes = a.lossy_bytes or ("1m" if quick else "5m")
    reps = a.reps or (1 if quick else 3)
    lossy_reps = a.lossy_reps or 1
    bulk_reps = a.bulk_reps or 1
    rpc_s = a.rpc_seconds or (2 if quick else 5)
    rxkad_bytes = a.rxkad_bytes or ("32m" if quick else "256m")
    sections = set(a.only.split(","))
    lossy_pairs = [("c", "c"), ("c", "ours")] if quick else PAIRS

    for tool in ("gcc", "java"):
        if shutil.which(tool) is None:
            sys.exit(f"bench: {tool} missing (scripts/test.sh installs the Debian packages)")
    build(a.skip_build)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H%MZ") + ("-quick" if quick else "")
    os.makedirs(RESULTS, exist_ok=True)
    raw_path = os.path.join(RESULTS, f"{stamp}.jsonl")
    env = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "host": platform.node(), "kernel": platform.release(), "cpus": os.cpu_count(),
        "cpuModel": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
                         "?"),
        "java": subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0],
        "commit": subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                                 text=True).stdout.strip(),
        "uptimeBefore": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
        "busiestBefore": busiest(),
        "command": " ".join(["bench/run.sh"] + sys.argv[1:]),
        "mode": "quick" if quick else "full", "bulkBytes": bulk, "lossyBytes": lossy_bytes, "reps": reps,
        "lossyReps": lossy_reps, "bulkReps": bulk_reps, "rpcSeconds": rpc_s, "udpBufBytes": UDPBUF,
        "rxkadBytes": rxkad_bytes, "clientWarmupS": CLIENT_WARMUP_S,
    }
    log(f"env: {env}")
    runner = Runner(raw_path, reps)
    runner.raw.write(json.dumps({"env": env}) + "\n")
    t_start = time.time()

    servers = {}
    try:
        # Loopback servers serve the rpc and bulk sections, and the lossy one only when it falls back to loopback.
        need_loopback = bool(sections & {"rpc", "bulk"}) or (
            "lossy" in sections and (a.lossy_link == "loopback" or netns_usable() is not None))
        for impl in (("c", "ours") if need_loopback else ()):
            for jumbo in (True, False):
                servers[(impl, jumbo)] = Server(impl, jumbo)
        java_warm = ["--warmup", str(CLIENT_WARMUP_S)]
        # A fresh JVM server answers its first calls slowly (class loading, JIT): every server gets the same
        # unmeasured load first, from the C client, so neither implementation is measured cold.
        for (impl, jumbo), srv in servers.items():
            log(f"warming up the {NAMES[impl]} server (jumbo {'on' if jumbo else 'off'})")
            for args in (["-c", "rpc", "-S", "3", "-R", "30", "-t", "8", "-d", "1" if quick else "3"],
                         ["-c", "send", "-b", "16m", "-n", "2"], ["-c", "recv", "-b", "16m", "-n", "2"]):
                run_client("c", srv.port, jumbo, args, srv, 120)

        if "udp" in sections:
            udp_section(runner, reps, quick)

        if "rpc" in sections:
            for conc in (1, 8, 64):
                for cl, sv in PAIRS:
                    srv = servers[(sv, True)]
                    args = ["-c", "rpc", "-S", "3", "-R", "30", "-t", str(conc), "-d", str(rpc_s)]
                    if cl == "ours":
                        args += java_warm
                    key = f"rpc/{conc}/{cl}->{sv}"
                    runner.measure(key, {"test": "rpc", "conc": conc, "client": cl, "server": sv},
                                   lambda: run_client(cl, srv.port, True, args, srv, 120 + rpc_s))
            write_reports(runner, env, lossy_pairs, quick, stamp, raw_path, partial=True)

        if "lossy" in sections:
            lossy_section(runner, servers, lossy_pairs, lossy_bytes, lossy_reps, quick, env, a.lossy_link)
            write_reports(runner, env, lossy_pairs, quick, stamp, raw_path, partial=True)

        if "bulk" in sections:
            # The server comparison (same C client) first: it carries the issue-8 targets; a stopped run keeps it.
            order = [(g, j, op) for g in (PAIRS[:2], PAIRS[2:]) for j in (True, False) for op in ("send", "recv")]
            for group, jumbo, op in order:
                for cl, sv in group:
                    srv = servers[(sv, jumbo)]
                    # Our client's warm-up here is whole calls of the same size until the time has passed.
                    args = ["-c", op, "-b", bulk, "-n", "1"] + (java_warm if cl == "ours" else [])
                    key = f"bulk/{op}/{'jumbo' if jumbo else 'nojumbo'}/{cl}->{sv}"
                    runner.measure(key, {"test": "bulk", "op": op, "jumbo": jumbo, "client": cl, "server": sv},
                                   lambda: dict(run_client(cl, srv.port, jumbo, args, srv, 900),
                                                payloadBytes=parse_size(bulk)), bulk_reps)
        if "rxkad" in sections:
            rxkad_section(runner, servers, rxkad_bytes, bulk_reps, rpc_s, quick)
            write_reports(runner, env, lossy_pairs, quick, stamp, raw_path, partial=True)

        if "udp" in sections:
            # Again at the end: the machine is shared, and the ceiling is the best of all samples.
            udp_section(runner, reps, quick)
    except KeyboardInterrupt:
        env["interrupted"] = True
        log("interrupted: writing what was measured")
    finally:
        for s in servers.values():
            s.stop()
    env["uptimeAfter"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    env["busiestAfter"] = busiest()
    env["elapsedS"] = round(time.time() - t_start)
    runner.raw.write(json.dumps({"envAfter": env}) + "\n")
    runner.raw.close()

    md = write_reports(runner, env, lossy_pairs, quick, stamp, raw_path, partial=False)
    print(md)


def rewrite_report(jsonl):
    rows, env = {}, None
    for line in open(jsonl):
        d = json.loads(line)
        if "env" in d or "envAfter" in d:
            env = d.get("envAfter") or d["env"]
            continue
        rows.setdefault(d["key"], []).append(d["result"])
    quick = env["mode"] == "quick"
    lossy_pairs = sorted({tuple(k.split("/")[-1].split("->")) for k in rows if k.startswith("lossy/")},
                         key=PAIRS.index)
    stamp = os.path.basename(jsonl)[:-len(".jsonl")]

    class Stub:  # write_reports only needs the rows
        pass

    r = Stub()
    r.rows = rows
    write_reports(r, env, lossy_pairs, quick, stamp, jsonl, partial=False)


RXKAD_LEVELS = ("clear", "auth", "crypt")
RXKAD_PAIRS = [("c", "c"), ("c", "ours"), ("ours", "c")]
# The throw-away cell keys of the project's golden captures (/work/shared/golden/keys, openafs-peers.md 2b).
RXKAD_DES = (2, "25f1dfd049e004d0")
RXKAD_AES = (3, 18, "6cb17889277621bbbaf5061a60a58ea83f510d7a35629b532e86a7969270ab25")


def rxkad_keydir():
    """bench/target/rxkad-keys: KeyFile, KeyFileExt (OpenAFS's formats, written here), ThisCell, CellServDB."""
    d = os.path.join(TARGET, "rxkad-keys")
    os.makedirs(d, exist_ok=True)
    kvno, des = RXKAD_DES
    with open(os.path.join(d, "KeyFile"), "wb") as f:
        f.write((1).to_bytes(4, "big") + kvno.to_bytes(4, "big") + bytes.fromhex(des))
    kvno, etype, aes = RXKAD_AES
    key = bytes.fromhex(aes)
    with open(os.path.join(d, "KeyFileExt"), "wb") as f:
        f.write(b"".join(v.to_bytes(4, "big") for v in (1, 16, 2, kvno, etype, len(key))) + key)
    with open(os.path.join(d, "ThisCell"), "w") as f:
        f.write("bench.test\n")
    with open(os.path.join(d, "CellServDB"), "w") as f:
        f.write(">bench.test #rxkad bench\n127.0.0.1 #loopback\n")
    return d


def rxkad_args(impl, keydir, level):
    """Both clients mint a -localauth ticket for "afs". OpenAFS's libauth sends an rxkad-k5 ticket at clear and crypt
    (KeyFileExt holds a key) and, for auth, our C peer makes a DES one: ours does the same (-5 or not)."""
    args = ["-k", keydir, "-l", level]
    if impl == "ours" and level != "auth":
        args.append("-5")
    return args


def rxkad_section(runner, servers, rxkad_bytes, bulk_reps, rpc_s, quick):
    keydir = rxkad_keydir()
    for impl in ("c", "ours"):
        servers[("rxkad", impl)] = Server(impl, True, extra=["-k", keydir], tag="-rxkad")
    for impl in ("c", "ours"):
        srv = servers[("rxkad", impl)]
        log(f"warming up the {NAMES[impl]} rxkad server")
        for level in RXKAD_LEVELS:
            for args in (["-c", "rpc", "-t", "8", "-d", "1"], ["-c", "send", "-b", "8m", "-n", "1"],
                         ["-c", "recv", "-b", "8m", "-n", "1"]):
                run_client("c", srv.port, True, args + rxkad_args("c", keydir, level), srv, 120)
    for level in RXKAD_LEVELS:
        for conc in (1, 8):
            for cl, sv in RXKAD_PAIRS:
                srv = servers[("rxkad", sv)]
                args = ["-c", "rpc", "-S", "3", "-R", "30", "-t", str(conc), "-d", str(rpc_s)] + \
                    rxkad_args(cl, keydir, level) + (["--warmup", str(CLIENT_WARMUP_S)] if cl == "ours" else [])
                runner.measure(f"rxkad/{level}/rpc/{conc}/{cl}->{sv}",
                               {"test": "rxkad", "level": level, "op": "rpc", "conc": conc, "client": cl,
                                "server": sv},
                               lambda: run_client(cl, srv.port, True, args, srv, 120 + rpc_s))
        for op in ("send", "recv"):
            for cl, sv in RXKAD_PAIRS:
                srv = servers[("rxkad", sv)]
                args = ["-c", op, "-b", rxkad_bytes, "-n", "1"] + rxkad_args(cl, keydir, level) + \
                    (["--warmup", str(CLIENT_WARMUP_S)] if cl == "ours" else [])
                runner.measure(f"rxkad/{level}/{op}/{cl}->{sv}",
                               {"test": "rxkad", "level": level, "op": op, "client": cl, "server": sv},
                               lambda: dict(run_client(cl, srv.port, True, args, srv, 900),
                                            payloadBytes=parse_size(rxkad_bytes)), bulk_reps)


def rxkad_report(rows, env, L):
    if not any(k.startswith("rxkad/") for k in rows):
        return
    L.append("## rxkad: clear, auth, crypt (jumbograms on; -localauth tickets; OpenAFS C peer via libauth)\n")
    L.append("Ratio = ours / OpenAFS (latency: OpenAFS / ours), so > 1 means we are better. Server column: same "
             "OpenAFS C client, our server vs OpenAFS's; client column: same OpenAFS C server, our client vs "
             "OpenAFS's.\n")
    L.append("| level | test | OpenAFS (c->c) | our server (c->ours) | ratio | our client (ours->c) | ratio |")
    L.append("|---|---|---|---|---|---|---|")
    for level in RXKAD_LEVELS:
        tests = [(f"small RPC, {c} concurrent: calls/s", f"rxkad/{level}/rpc/{c}/{{}}", "callsPerSec", "", False)
                 for c in (1, 8)]
        tests += [(f"small RPC, {c} concurrent: p99", f"rxkad/{level}/rpc/{c}/{{}}", "p99Us", "us", True)
                  for c in (1, 8)]
        tests += [(f"bulk {op} {env.get('rxkadBytes', '?')}: MB/s", f"rxkad/{level}/{op}/{{}}", "mbPerSec", "", False)
                  for op in ("send", "recv")]
        for label, kf, field, unit, lower in tests:
            def val(pair):
                rs = rows.get(kf.format(pair), [])
                v = med(rs, field)
                if v is None and rs:
                    codes = sorted({c for r in rs for c in (r.get("abortCodes") or {})})
                    return "failed" + (f" (abort {', '.join(codes)})" if codes else ""), None
                return fmt(v, unit), v
            ct, cv = val("c->c")
            st, sv = val("c->ours")
            ot, ov = val("ours->c")
            r1, r2 = ratio(sv, cv, lower), ratio(ov, cv, lower)
            L.append(f"| {level} | {label} | {ct} | {st} | {'n/a' if r1 is None else f'{r1:.2f}x'} | {ot} | "
                     f"{'n/a' if r2 is None else f'{r2:.2f}x'} |")
    L.append("")


def udp_section(runner, reps, quick):
    for size in DATAGRAM_SIZES:
        for i in range(reps):
            out = subprocess.run([UDPBLAST, "-s", str(size), "-d", "1" if quick else "3"], capture_output=True,
                                 text=True, check=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            r["rep"] = i
            runner.record(f"udp/{size}", {"test": "udp", "size": size}, r)
            log(f"udp/{size} #{i}: {r['mbPerSec']} MB/s, {r['pktPerSec']} pkt/s, loss {r['lossPct']} %")


def lossy_section(runner, servers, lossy_pairs, lossy_bytes, lossy_reps, quick, env, mode):
    """The lossy link. Between three network namespaces of our own (NetnsLink) when root and `ip netns` allow (mode
    auto) or always (mode netns); else, or with mode loopback, on loopback in this namespace with the loopback
    servers. Records which in env["lossyLink"] for the report header."""
    why = "--lossy-link loopback" if mode == "loopback" else netns_usable()
    if why and mode == "netns":
        raise SystemExit(f"bench: --lossy-link netns impossible: {why}")
    link, ns_servers = None, {}
    try:
        if why is None:
            try:
                link = NetnsLink()
            except (subprocess.CalledProcessError, RuntimeError) as e:
                if mode == "netns":
                    raise
                why = f"namespace setup failed: {e}"
        if link is not None:
            env["lossyLink"] = link.describe()
            for sv in sorted({sv for _, sv in lossy_pairs}):
                srv = Server(sv, True, ns=link.server_ns, port=7100 + len(ns_servers), addr=link.S_ADDR)
                ns_servers[sv] = srv
                # The same unmeasured warm-up as the loopback servers get, through a loss-free relay.
                log(f"warming up the {NAMES[sv]} server in {link.server_ns}")
                relay = Relay(srv.port, 0, 5, 1, link)
                try:
                    for args in (["-c", "rpc", "-S", "3", "-R", "30", "-t", "8", "-d", "1" if quick else "3"],
                                 ["-c", "send", "-b", "2m", "-n", "1"], ["-c", "recv", "-b", "2m", "-n", "1"]):
                        run_client("c", relay.port, True, args, srv, 120, relay.host, link.client_ns)
                finally:
                    relay.stop()
        else:
            env["lossyLink"] = f"loopback in the machine's namespace (fallback: {why})"
            log("lossy link: " + env["lossyLink"])
            for sv in sorted({sv for _, sv in lossy_pairs}):
                if (sv, True) not in servers:  # main skipped them expecting namespaces; main's finally stops them
                    servers[(sv, True)] = Server(sv, True)
        lossy_runs(runner, servers if link is None else {(sv, True): s for sv, s in ns_servers.items()}, link,
                   lossy_pairs, lossy_bytes, lossy_reps, quick)
    finally:
        for srv in ns_servers.values():
            srv.stop()
        if link is not None:
            link.close()


def lossy_runs(runner, servers, link, lossy_pairs, lossy_bytes, lossy_reps, quick):
    for loss in (0, 1, 5):
        for cl, sv in lossy_pairs:
            srv = servers[(sv, True)]
            # A 5 MB call takes a fraction of a second, about what a fresh JVM spends compiling the call path (our
            # client to our server at 0 % loss: 10.0 MB/s cold, 19.9 MB/s after --warmup 1). Our client gets 1 s of it
            # unmeasured, through the same relay (the link bounds these runs); the C client needs none.
            warm = ["--warmup", "1"] if cl == "ours" else []
            tests = [("send", ["-c", "send", "-b", lossy_bytes, "-n", "1"] + warm),
                     ("recv", ["-c", "recv", "-b", lossy_bytes, "-n", "1"] + warm),
                     ("rpc", ["-c", "rpc", "-S", "3", "-R", "30", "-t", "1", "-d", str(3 if quick else 10)])]
            for name, args in tests:
                if quick and name == "rpc" and loss != 1:
                    continue
                key = f"lossy/{loss}/{name}/{cl}->{sv}"

                def one(args=args, srv=srv, cl=cl, loss=loss):
                    relay = Relay(srv.port, loss, 5, 1, link)
                    try:
                        r = run_client(cl, relay.port, True, args, srv, 600, relay.host,
                                       None if link is None else link.client_ns)
                    finally:
                        r_stats = relay.stop()
                    r["relay"] = r_stats
                    return r

                runner.measure(key, {"test": "lossy", "loss": loss, "op": name, "client": cl, "server": sv}, one,
                               lossy_reps)


def write_reports(runner, env, lossy_pairs, quick, stamp, raw_path, partial):
    """Writes the dated and latest report files; called after each long section too, so an interrupted run leaves
    what it measured."""
    env = dict(env)
    if partial:
        env.setdefault("uptimeAfter", "(run still going)")
        env.setdefault("busiestAfter", [])
        env.setdefault("elapsedS", "-")
    md, chart = report(runner.rows, env, lossy_pairs, quick)
    suffix = "-quick" if quick else ""
    for name, content in ((f"{stamp}.md", md), (f"{stamp}.svg", chart), (f"latest{suffix}.md", md),
                          (f"latest{suffix}.svg", chart)):
        with open(os.path.join(RESULTS, name), "w") as f:
            f.write(content)
    latest_raw = os.path.join(RESULTS, f"latest{suffix}.jsonl")
    if os.path.abspath(raw_path) != os.path.abspath(latest_raw):
        shutil.copyfile(raw_path, latest_raw)
    log(f"wrote bench/results/{stamp}.md, .svg, .jsonl and latest{suffix}.*{' (partial)' if partial else ''}")
    return md


def busiest():
    """The five busiest processes right now: the machine is shared, so the report says what else was running."""
    out = [l for l in subprocess.run(["ps", "-eo", "pcpu,args", "--sort=-pcpu", "--no-headers"],
                                     capture_output=True, text=True).stdout.splitlines()
           if not l.split(None, 1)[1].startswith("ps ")][:5]
    return ["`" + " ".join(l.split())[:90].replace("`", "'") + "`" for l in out]


def fmt(v, unit=""):
    if v is None:
        return "n/a"
    if unit == "us":
        return f"{v / 1000:.2f} ms" if v >= 1000 else f"{v:.0f} µs"
    if abs(v) >= 100:
        return f"{v:,.0f}".replace(",", " ")
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}" if abs(v) >= 0.1 else f"{v:.3f}"


def ratio(ours, theirs, lower_is_better=False):
    if ours is None or theirs is None or ours == 0 or theirs == 0:
        return None
    return theirs / ours if lower_is_better else ours / theirs


def report(rows, env, lossy_pairs, quick):
    L = []
    chart_items = []  # (label, ratio)
    L.append(f"# rxrpc-spring vs OpenAFS Rx — end-to-end benchmark ({env['mode']} run)\n")
    L.append(f"- date: {env['date']}; host `{env['host']}`, {env['cpus']} CPUs ({env['cpuModel']}), "
             f"kernel {env['kernel']}; {env['java']}; commit `{env['commit']}`")
    L.append(f"- command: `{env.get('command') or 'bench/run.sh' + (' --quick' if quick else '')}`; {env['reps']} repetition(s) per loopback test "
             f"(medians), {env['bulkReps']} per bulk test, {env['lossyReps']} per lossy test; RPC runs {env['rpcSeconds']} s; bulk "
             f"{env['bulkBytes']} in one call; lossy bulk {env['lossyBytes']}; UDP socket buffers "
             f"{env['udpBufBytes']} B on both implementations; elapsed {env['elapsedS']} s")
    if env.get("clientWarmupS"):
        L.append(f"- our client (a fresh JVM per run) gets {env['clientWarmupS']} s of the same load first, unmeasured "
                 "(bulk: whole calls of the same size until that time has passed), so its JIT has settled, as the "
                 "warmed, long-lived servers' has; on the lossy link it gets 1 s")
    if env.get("lossyLink"):
        L.append(f"- lossy link: {env['lossyLink']}; impair-relay 5 ms each way, seed 1")
    if env.get("interrupted"):
        L.append("- **interrupted run**: the tables hold what was measured before the stop (n/a = not reached)")
    L.append(f"- load before: `{env['uptimeBefore']}`; busiest: {', '.join(env['busiestBefore'])}")
    L.append(f"- load after: `{env['uptimeAfter']}`; busiest: {', '.join(env['busiestAfter'])}")
    L.append("- shared 2-core VM: other engineers built and benchmarked during the run, so absolute figures are "
             "low and noisy; the ratios compare runs made minutes apart under the same conditions.")
    L.append("- OpenAFS = `interop/openafs-peer/rxperf-peer` on Debian libopenafs-dev 1.8.9; ours = "
             "`examples/rxperf` jar on rxrpc-core. Ratio = ours / OpenAFS (for latency and CPU: OpenAFS / ours, so "
             "> 1 always means we are better).\n")

    def g(key, field, agg=med):
        return agg(rows.get(key, []), field)

    # --- 1. Server comparison: same C client.
    for title, ours_pair, ref_pair, what in (
            ("Our server vs OpenAFS server (same OpenAFS C client)", "c->ours", "c->c", "server"),
            ("Our client vs OpenAFS client (same OpenAFS C server)", "ours->c", "c->c", "client"),
            ("Both ends ours vs both ends OpenAFS", "ours->ours", "c->c", "both")):
        L.append(f"## {title}\n")
        L.append(f"| test | OpenAFS ({ref_pair}) | ours ({ours_pair}) | ratio |")
        L.append("|---|---|---|---|")

        def cell(key, field, unit, agg):
            v = g(key, field, agg)
            if v is None and rows.get(key):
                # Every run of this test failed: say how, rather than n/a.
                codes = sorted({c for r in rows[key] for c in (r.get("abortCodes") or {})})
                return "failed" + (f" (abort {', '.join(codes)})" if codes else ""), None
            return fmt(v, unit), v

        def row(label, key_fmt, field, unit="", lower=False, agg=med, chart=None):
            t_txt, theirs = cell(key_fmt.format(ref_pair), field, unit, agg)
            o_txt, ours = cell(key_fmt.format(ours_pair), field, unit, agg)
            rt = ratio(ours, theirs, lower)
            L.append(f"| {label} | {t_txt} | {o_txt} | "
                     f"{'n/a' if rt is None else f'{rt:.2f}x'} |")
            if chart and rt is not None:
                chart_items.append((what, chart, rt))

        for conc in (1, 8, 64):
            k = f"rpc/{conc}/{{}}"
            row(f"small RPC, {conc} concurrent: calls/s", k, "callsPerSec", chart=f"rpc {conc} calls/s")
            row(f"small RPC, {conc} concurrent: p50", k, "p50Us", "us", True)
            row(f"small RPC, {conc} concurrent: p90", k, "p90Us", "us", True)
            row(f"small RPC, {conc} concurrent: p99", k, "p99Us", "us", True, chart=f"rpc {conc} p99")
            row(f"small RPC, {conc} concurrent: max (worst run)", k, "maxUs", "us", True, agg=worst)
        for jumbo in ("jumbo", "nojumbo"):
            for op in ("send", "recv"):
                k = f"bulk/{op}/{jumbo}/{{}}"
                jl = "jumbograms on" if jumbo == "jumbo" else "jumbograms off"
                row(f"bulk {op} {env['bulkBytes']}, {jl}: MB/s", k, "mbPerSec", chart=f"{op} {jumbo} MB/s")
        for jumbo in ("jumbo", "nojumbo"):
            for op in ("send", "recv"):
                k = f"bulk/{op}/{jumbo}/{{}}"
                theirs = cpu_per_gib(rows.get(k.format(ref_pair), []))
                ours = cpu_per_gib(rows.get(k.format(ours_pair), []))
                rt = ratio(ours, theirs, True)
                L.append(f"| CPU s per GiB, both ends, {op} {jumbo} | {fmt(theirs)} | {fmt(ours)} | "
                         f"{'n/a' if rt is None else f'{rt:.2f}x'} |")
                if rt is not None and jumbo == "jumbo":
                    chart_items.append((what, f"CPU/GiB {op}", rt))
        if ours_pair in [f"{c}->{s}" for c, s in lossy_pairs]:
            for loss in (0, 1, 5):
                for op in ("send", "recv"):
                    row(f"lossy 5 ms each way, {loss} % loss: bulk {op} MB/s", f"lossy/{loss}/{op}/{{}}", "mbPerSec",
                        chart=f"lossy {loss}% {op}")
                if not quick or loss == 1:
                    row(f"lossy {loss} %: small RPC, 1 at a time: calls/s", f"lossy/{loss}/rpc/{{}}", "callsPerSec")
                    row(f"lossy {loss} %: small RPC p99", f"lossy/{loss}/rpc/{{}}", "p99Us", "us", True,
                        chart=f"lossy {loss}% rpc p99" if loss == 1 else None)
                    row(f"lossy {loss} %: small RPC max", f"lossy/{loss}/rpc/{{}}", "maxUs", "us", True, agg=worst)
        L.append("")

    rxkad_report(rows, env, L)

    # --- Raw UDP ceiling.
    L.append("## Raw UDP ceiling (bench/src/udpblast.c: one sender thread -> one receiver thread, loopback)\n")
    L.append("Sampled at the start and at the end of the run; the ceiling is the best sample.\n")
    L.append("| datagram (UDP payload) | ceiling MB/s | datagrams/s | all samples MB/s (loss %) |")
    L.append("|---|---|---|---|")
    for size in DATAGRAM_SIZES:
        rs = rows.get(f"udp/{size}", [])
        best = max(rs, key=lambda r: r["mbPerSec"]) if rs else {}
        samples = ", ".join(f"{r['mbPerSec']:.0f} ({r['lossPct']:.1f})" for r in rs)
        L.append(f"| {size} B | {fmt(best.get('mbPerSec'))} | {fmt(best.get('pktPerSec'))} | {samples} |")
    L.append("")
    L.append("Bulk as a share of the ceiling for its datagram size (jumbograms on: 5688 B; off: 1444 B):\n")
    L.append("| pair | send jumbo | recv jumbo | send no-jumbo | recv no-jumbo |")
    L.append("|---|---|---|---|---|")
    c_j = worst(rows.get("udp/5688", []), "mbPerSec")
    c_n = worst(rows.get("udp/1444", []), "mbPerSec")
    for cl, sv in PAIRS:
        p = f"{cl}->{sv}"
        cells = []
        for jumbo, ceil in (("jumbo", c_j), ("nojumbo", c_n)):
            for op in ("send", "recv"):
                v = g(f"bulk/{op}/{jumbo}/{p}", "mbPerSec")
                cells.append("n/a" if v is None or not ceil else f"{100 * v / ceil:.0f} %")
        L.append(f"| {NAMES[cl]} client -> {NAMES[sv]} server | " + " | ".join(cells) + " |")
    L.append("")

    # --- Issue 8 targets, server side (same C client) unless stated.
    L.append("## Issue 8 targets (from the tables above)\n")
    L.append("| target | measured | met |")
    L.append("|---|---|---|")

    def tgt(label, ok, measured):
        L.append(f"| {label} | {measured} | {'n/a' if ok is None else ('yes' if ok else 'no')} |")

    def rr(key_fmt, field, pair="c->ours", lower=False, agg=med):
        return ratio(g(key_fmt.format(pair), field, agg), g(key_fmt.format("c->c"), field, agg), lower)

    r1 = rr("rpc/1/{}", "callsPerSec")
    p99 = rr("rpc/1/{}", "p99Us", lower=True)
    tgt("small RPC, 1 concurrent: >= 1.0x calls/s and p99 <= OpenAFS (our server, same C client)",
        None if r1 is None or p99 is None else (r1 >= 1.0 and p99 >= 1.0),
        f"{fmt(r1)}x calls/s, p99 ratio {fmt(p99)}x")
    for conc in (8, 64):
        r = rr(f"rpc/{conc}/{{}}", "callsPerSec")
        extra = ""
        ok = None if r is None else r >= 1.5
        if conc == 64:
            mx = g("rpc/64/c->ours", "maxUs", worst)
            extra = f", worst call {fmt(mx, 'us')}"
            ok = None if r is None or mx is None else (ok and mx <= 100_000)
        tgt(f"small RPC, {conc} concurrent: >= 1.5x calls/s" + ("; no call over 100 ms" if conc == 64 else ""),
            ok, f"{fmt(r)}x{extra}")
    for op in ("send", "recv"):
        r = rr(f"bulk/{op}/jumbo/{{}}", "mbPerSec")
        v = g(f"bulk/{op}/jumbo/c->ours", "mbPerSec")
        share = None if v is None or not c_j else v / c_j
        tgt(f"bulk {op} {env['bulkBytes']}, jumbograms: >= 3x OpenAFS and >= 40 % of UDP ceiling",
            None if r is None or share is None else (r >= 3 and share >= 0.4),
            f"{fmt(r)}x, {'n/a' if share is None else f'{100 * share:.0f} %'} of {fmt(c_j)} MB/s")
        r = rr(f"bulk/{op}/nojumbo/{{}}", "mbPerSec")
        tgt(f"bulk {op} {env['bulkBytes']}, peer without jumbograms: >= 2x", None if r is None else r >= 2,
            f"{fmt(r)}x")
    for loss in (0, 1, 5):
        rs = [rr(f"lossy/{loss}/{op}/{{}}", "mbPerSec") for op in ("send", "recv")]
        ok = None if None in rs else all(x >= 5 for x in rs)
        tgt(f"lossy {loss} %: bulk goodput >= 5x (send, recv)", ok, f"{fmt(rs[0])}x, {fmt(rs[1])}x")
    p = g("lossy/1/rpc/c->ours", "p99Us")
    tgt("lossy 1 %: small RPC p99 <= 100 ms (our server)", None if p is None else p <= 100_000,
        f"{fmt(p, 'us')} (OpenAFS {fmt(g('lossy/1/rpc/c->c', 'p99Us'), 'us')})")
    for op in ("send", "recv"):
        theirs = cpu_per_gib(rows.get(f"bulk/{op}/jumbo/c->c", []))
        ours = cpu_per_gib(rows.get(f"bulk/{op}/jumbo/c->ours", []))
        tgt(f"CPU s per GiB (both ends), {op} jumbo: <= OpenAFS", None if ours is None or theirs is None
            else ours <= theirs, f"{fmt(ours)} vs {fmt(theirs)}")
    L.append("\nRaw results (one JSON line per run, with the exact client command): "
             f"`bench/results/{'latest-quick' if quick else 'latest'}.jsonl`; chart: "
             f"`bench/results/{'latest-quick' if quick else 'latest'}.svg`.\n")
    return "\n".join(L) + "\n", svg(chart_items, env)


def svg(items, env):
    """A horizontal bar chart of the ratios (log scale, 1.0 marked), grouped by comparison. Pure SVG, no libraries."""
    import math
    groups = [("server", "our server vs OpenAFS server (same C client)"),
              ("client", "our client vs OpenAFS client (same C server)"),
              ("both", "both ends ours vs both ends OpenAFS")]
    bar_h, gap, left, width = 16, 4, 190, 520
    lo, hi = math.log10(0.05), math.log10(20)

    def x(v):
        v = min(max(v, 0.05), 20)
        return left + (math.log10(v) - lo) / (hi - lo) * width

    rows = []
    y = 50
    for gid, title in groups:
        its = [i for i in items if i[0] == gid]
        if not its:
            continue
        rows.append(f'<text x="10" y="{y + 12}" font-weight="bold">{title}</text>')
        y += 20
        for _, label, r in its:
            x0, x1 = x(1.0), x(r)
            color = "#2a9d4b" if r >= 1 else "#d1495b"
            rows.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{label}</text>')
            rows.append(f'<rect x="{min(x0, x1):.1f}" y="{y}" width="{abs(x1 - x0):.1f}" height="{bar_h}" '
                        f'fill="{color}"/>')
            rows.append(f'<text x="{max(x0, x1) + 4:.1f}" y="{y + 12}">{r:.2f}x</text>')
            y += bar_h + gap
        y += 10
    h = y + 30
    ticks = []
    for v in (0.1, 0.25, 0.5, 1, 2, 4, 10):
        ticks.append(f'<line x1="{x(v):.1f}" y1="40" x2="{x(v):.1f}" y2="{h - 25}" stroke="#ccc"/>'
                     f'<text x="{x(v):.1f}" y="{h - 10}" text-anchor="middle">{v}x</text>')
    one = f'<line x1="{x(1):.1f}" y1="40" x2="{x(1):.1f}" y2="{h - 25}" stroke="#000"/>'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 80}" height="{h}" '
            f'font-family="sans-serif" font-size="11">'
            f'<rect width="100%" height="100%" fill="white"/>'
            f'<text x="10" y="20" font-size="14" font-weight="bold">rxrpc-spring / OpenAFS Rx '
            f'(ratio, log scale, &gt; 1 = we are better) — {env["date"]} {env["mode"]} run</text>'
            + "".join(ticks) + one + "".join(rows) + "</svg>\n")


if __name__ == "__main__":
    main()
