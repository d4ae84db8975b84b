#!/usr/bin/env bash
# Runs the chart's rendered pod against a real server in a network namespace of our own (no cluster here).
# Usage: rx-call-test.sh openafs|app <rendered-default.yaml> <work-dir> <repo-root>   (root: creates its own netns)
#  openafs: the `helm test` script, exactly as rendered into the test Pod, against OpenAFS's ptserver: its rxdebug and
#           pts commands make a real Rx call and read the answer; with the server stopped the script fails.
#  app:     examples/ptserver/target/ptserver.jar started with the rendered ConfigMap (as the Deployment does):
#           live within the startup probe's budget, probes and metrics answer at the rendered paths and ports, the
#           `helm test` script's Rx call to our PR service succeeds, and SIGTERM ends the JVM within
#           terminationGracePeriodSeconds minus the preStop pause.
# Prints "<mode>: N passed, N failed".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode="$1"
render="$(realpath "$2")"
work="$(realpath -m "$3")"
repo_root="$(realpath "$4")"
ns="rxhelm-$mode-$$"
# An address inside our own namespace: ubik will not run on a host whose only address is loopback.
addr=10.213.77.1
passed=0
failed=0
result() { if [ "$1" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL [$mode] $2"; fi; }
finish() { echo "$mode: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
give_up() { result fail "$1"; finish; }
# nsenter execs the command itself (`ip netns exec` forks and waits), so $! is the server and signals reach it.
in_ns() { nsenter --net="/run/netns/$ns" "$@"; }

for need in /usr/bin/pts /usr/bin/rxdebug /usr/bin/udebug /usr/lib/openafs/ptserver; do
  [ -x "$need" ] || give_up "$need missing (scripts/test.sh installs openafs-client and openafs-dbserver)"
done
[ "$(id -u)" -eq 0 ] || give_up "needs root for its network namespace"
jar="$repo_root/examples/ptserver/target/ptserver.jar"
[ "$mode" != app ] || [ -f "$jar" ] || give_up "$jar missing: build it first (./mvnw -pl helm -am verify builds it)"

rm -rf "$work" && mkdir -p "$work/conf" "$work/db" "$work/logs" "$work/config" "$work/data"
pid=""
ns_pids() { ip netns pids "$ns" 2>/dev/null || true; }
cleanup() {
  # Everything inside our namespace was started by this script (OpenAFS's ptserver puts itself in the background).
  for p in $pid $(ns_pids); do kill -9 "$p" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add v0 type veth peer name v1
ip -n "$ns" addr add "$addr/24" dev v0
ip -n "$ns" link set v0 up
ip -n "$ns" link set v1 up

# What the chart renders: the test Pod's script and environment, the ConfigMap, the server container's settings.
(cd "$here" && node --input-type=module -e '
import { readFileSync, writeFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
const [render, work] = process.argv.slice(1);
const objs = parseAllDocuments(readFileSync(render, "utf8")).map((d) => d.toJS()).filter(Boolean);
const test = objs.find((o) => o.kind === "Pod").spec.containers[0];
writeFileSync(`${work}/test.sh`, test.args[0]);
const env = Object.fromEntries(test.env.map((e) => [e.name, e.value]));
const cm = objs.find((o) => o.kind === "ConfigMap" && o.data?.["application.properties"]);
writeFileSync(`${work}/config/application.properties`, cm.data["application.properties"]);
const pod = objs.find((o) => o.kind === "Deployment" || o.kind === "StatefulSet").spec.template.spec;
const c = pod.containers.find((x) => x.name === "ptserver");
const mgmt = c.ports.find((p) => p.name === "management").containerPort;
const pre = c.lifecycle?.preStop;
const lines = {
  CELL: env.AFS_CELL, PORT: env.RX_PORT, MGMT: mgmt,
  STARTUP: c.startupProbe.httpGet.path, LIVENESS: c.livenessProbe.httpGet.path, READINESS: c.readinessProbe.httpGet.path,
  STARTUP_BUDGET: c.startupProbe.periodSeconds * c.startupProbe.failureThreshold,
  PRESTOP: pre?.sleep ? pre.sleep.seconds : pre?.exec ? Number(pre.exec.command.at(-1)) : 0,
  GRACE: pod.terminationGracePeriodSeconds,
  EXPOSURE: cm.data["application.properties"].match(/^management\.endpoints\.web\.exposure\.include=(.*)$/m)[1],
  ARGS: c.args.join(" "),
};
writeFileSync(`${work}/pod.env`, Object.entries(lines).map(([k, v]) => `${k}='"'"'${v}'"'"'`).join("\n") + "\n");
' "$render" "$work")
# shellcheck disable=SC1091
. "$work/pod.env"

run_test() { # the Pod's script, with the Service name replaced by the server's address
  in_ns env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin RX_SERVICE="$addr" RX_PORT="$PORT" AFS_CELL="$CELL" \
    timeout 120 sh "$work/test.sh" >"$work/$1.log" 2>&1
}
test_passed() { grep -q "^OK: Rx call to PR service 73 answered" "$work/$1.log"; }

if [ "$mode" = openafs ]; then
  echo "$CELL" > "$work/conf/ThisCell"
  printf '>%s #rx-call-test\n%s #ptserver\n' "$CELL" "$addr" > "$work/conf/CellServDB"
  touch "$work/conf/UserList"
  nsenter --net="/run/netns/$ns" /usr/lib/openafs/ptserver -database "$work/db/prdb" -config "$work/conf" -logfile "$work/logs/PtLog" \
    >"$work/server.log" 2>&1 &
  pid=$!
  # A single ubik server elects itself and then recovers its database (state 1f: all recovery steps done) a few
  # seconds after start; pts answers "no quorum" before that. Bounded poll.
  ready=no
  for _ in $(seq 1 150); do
    if in_ns udebug -server "$addr" -port 7002 2>/dev/null | grep -q "^Recovery state 1f"; then ready=yes; break; fi
    [ -n "$(ns_pids)" ] || break
    sleep 0.2
  done
  [ "$ready" = yes ] || { cat "$work/server.log" "$work/logs/PtLog" 2>/dev/null; give_up "OpenAFS ptserver did not start"; }
  result ok
  if run_test up && test_passed up && grep -q "^AFS version: " "$work/up.log" \
    && grep -q "^Max user id is .* and max group id is " "$work/up.log"; then
    result ok
  else
    result fail "helm test script against OpenAFS ptserver:"; cat "$work/up.log"
  fi
  # Nothing listening: the script must fail (rxdebug gives up after its own timeout).
  for p in $pid $(ns_pids); do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 1 50); do [ -z "$(ns_pids)" ] && break; sleep 0.1; done
  [ -z "$(ns_pids)" ] || give_up "OpenAFS ptserver did not stop on SIGTERM"
  pid=""
  if run_test down; then result fail "helm test script passed with no server:"; cat "$work/down.log"; else result ok; fi
  finish
fi

# app: our ptserver as the Deployment runs it (its args point Spring at the ConfigMap; here the mount is a folder of
# ours, and the data dir, a volume in the pod, is a folder of ours too).
args="${ARGS//\/etc\/ptserver\/config\//$work/config/}"
# shellcheck disable=SC2086
# Not through in_ns: a backgrounded shell function is a subshell, and $! would be that subshell, not the JVM.
nsenter --net="/run/netns/$ns" java -XX:TieredStopAtLevel=1 -jar "$jar" $args --ptserver.data-dir="$work/data" \
  >"$work/server.log" 2>&1 &
pid=$!
http() { in_ns curl -s -o "$work/http.out" -w '%{http_code}' --max-time 5 "http://127.0.0.1:$MGMT$1" || true; }
# The kubelet's startup probe: every second here, for as long as the rendered probe allows.
live=no
for _ in $(seq 1 "$STARTUP_BUDGET"); do
  if [ "$(http "$STARTUP")" = 200 ]; then live=yes; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
[ "$live" = yes ] || { tail -30 "$work/server.log"; give_up "ptserver.jar not live at :$MGMT$STARTUP within the startup probe's ${STARTUP_BUDGET}s"; }
result ok
for path in "$LIVENESS" "$READINESS"; do
  code="$(http "$path")"
  if [ "$code" = 200 ] && grep -q '"status":"UP"' "$work/http.out"; then result ok; else result fail "GET :$MGMT$path -> $code $(cat "$work/http.out")"; fi
done
# The ConfigMap is what the server runs with: the chart exposes fewer endpoints than the jar's own defaults.
case ",$EXPOSURE," in
  *,metrics,*) ;;
  *) code="$(http /actuator/metrics)"
     if [ "$code" = 404 ]; then result ok; else result fail "GET :$MGMT/actuator/metrics -> $code: the rendered exposure '$EXPOSURE' was not applied"; fi ;;
esac
code="$(http /actuator/prometheus)"
if [ "$code" = 200 ] && grep -q '^jvm_memory_used_bytes' "$work/http.out"; then result ok; else result fail "GET :$MGMT/actuator/prometheus -> $code"; fi
if in_ns sh -c "command -v ss >/dev/null && ss -uln | grep -q ':$PORT '"; then result ok; else result fail "nothing listens on UDP $PORT"; fi
if run_test app && test_passed app && grep -q "^AFS version: rxrpc-spring" "$work/app.log"; then
  result ok
else
  result fail "helm test script against examples/ptserver:"; cat "$work/app.log"
fi
# SIGTERM, as the kubelet sends it after preStop: the starter drains, and the JVM must be gone before the grace
# period's SIGKILL.
if tr '\0' ' ' </proc/"$pid"/cmdline | grep -q "java .*ptserver.jar"; then result ok; else give_up "pid $pid is not the JVM"; fi
kill -TERM "$pid"
budget=$((GRACE - PRESTOP))
gone=no
for _ in $(seq 1 $((budget * 5))); do
  if ! kill -0 "$pid" 2>/dev/null; then gone=yes; break; fi
  sleep 0.2
done
if [ "$gone" = yes ]; then
  wait "$pid" 2>/dev/null && rc=0 || rc=$?
  pid=""
  if [ "$rc" = 0 ] || [ "$rc" = 143 ]; then result ok; else result fail "ptserver exited with $rc after SIGTERM"; tail -20 "$work/server.log"; fi
  # rxrpc-starter's RxRpcDrainLifecycle logs both ends of the drain.
  if grep -q "Rx server draining" "$work/server.log" && grep -q "Rx server drained" "$work/server.log"; then
    result ok
  else
    result fail "no 'Rx server draining' / 'Rx server drained' in the server's log after SIGTERM"; tail -20 "$work/server.log"
  fi
else
  result fail "ptserver still running ${budget}s after SIGTERM (terminationGracePeriodSeconds $GRACE - preStop $PRESTOP)"
fi
finish
