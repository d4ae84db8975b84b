package dev.rxrpc.examples.rxperf;

import dev.rxrpc.examples.rxperf.RxperfProtocol.Op;
import dev.rxrpc.metrics.RxMetricsRecorder;
import dev.rxrpc.security.SecurityClass;
import dev.rxrpc.security.rxkad.RxkadLevel;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar rxperf.jar server|client ...}: the command line. See {@link #USAGE} and the module's README.
 *
 * <p>Exit codes: 0 success, 1 some call failed (the abort codes are printed), 2 bad command line.
 */
public final class RxperfMain {

    /** Written to stderr when the warm-up is over and the measured run starts. */
    static final String MEASURING_MARKER = "rxperf: measuring";

    static final String USAGE = """
            usage:
              rxperf server [-p PORT] [-H HOST] [--no-jumbo|-j] [-u UDPBUFBYTES] [--window|-W N] [--backlog N]
                            [--stats] [--handlers-on-scheduler] [-k KEYDIR [-l MINLEVEL] [--no-rxnull]]
                  Serves rxperf (service 147) on HOST:PORT (default 127.0.0.1:7009; -H 0.0.0.0 for the network).
                  -k KEYDIR   also accept rxkad (index 2) with the server keys of KEYDIR (an OpenAFS server config
                              directory: KeyFile and/or KeyFileExt); -l the lowest level accepted (default clear);
                              --no-rxnull refuses unauthenticated calls
                  The handler is declared non-blocking, so rxnull calls run on the event loop (no thread hand-off;
                  rxkad calls still run on the scheduler, so decryption stays off the loop).
                  --handlers-on-scheduler  run them all on Reactor's parallel scheduler (two hand-offs per call)
              rxperf client -c rpc|send|recv|file [-s HOST] [-p PORT] [-t CONCURRENT] [-n TIMES | -d SECONDS]
                            [-b BYTES] [-S SENDBYTES] [-R RECVBYTES] [-f PHASEFILE | --phases W,W,0,W]
                            [--warmup SECONDS] [--cookie] [--verify] [--keep-going] [--no-jumbo|-j]
                            [-u UDPBUFBYTES] [--window|-W N]
                            [--json] [--stats] [-k KEYDIR [-l clear|auth|crypt] [-5]]
                  Defaults: -s 127.0.0.1 -p 7009 -t 1 -n 100 -b 1m -S 3 -R 30 (as OpenAFS rxperf).
                  Sizes take k, m, g suffixes (1024-based). -d runs each worker until SECONDS have passed.
                  --warmup   run the same load for SECONDS first, unmeasured (JIT, connections)
                  --cookie   end requests with the magic cookie (Linux's kernel rxperf server needs it)
                  --verify   also check that reply payload bytes are zero
                  --json     print exactly one JSON result line on stdout (the human summary goes to stderr);
                             its cpuS is this process's CPU over the measured run, and a line
                             "rxperf: measuring" on stderr marks when that run starts
                  --stats    print the engine's packet counters at the end (server: at shutdown)
                  -k KEYDIR  rxkad: -localauth-style ticket for "afs" minted from KEYDIR's server keys, sealed with
                             the newest KeyFile DES key, or with -5 an rxkad-k5 ticket (kvno 213) sealed with the
                             newest KeyFileExt key; -l the level (default clear)
            """;

    private RxperfMain() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (UsageException e) {
            System.err.println("rxperf: " + e.getMessage());
            System.err.print(USAGE);
            code = 2;
        }
        System.exit(code);
    }

    /** Thrown for a bad command line. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            throw new UsageException("server or client?");
        }
        Args a = new Args(args, 1);
        return switch (args[0]) {
            case "server" -> server(a, out);
            case "client" -> client(a, out, err);
            case "-h", "--help", "help" -> {
                out.print(USAGE);
                yield 0;
            }
            default -> throw new UsageException("unknown command " + args[0]);
        };
    }

    private static int server(Args a, PrintStream out) {
        String host = "127.0.0.1";
        int port = RxperfProtocol.PORT;
        EngineOptions engine = EngineOptions.defaults();
        boolean stats = false;
        boolean handlersOnLoop = true;
        Rxkad sec = new Rxkad();
        while (a.more()) {
            String opt = a.next();
            switch (opt) {
                case "-p", "--port" -> port = a.intValue(opt);
                case "-H", "--host" -> host = a.value(opt);
                case "--stats", "-D" -> stats = true;
                case "--handlers-on-loop" -> handlersOnLoop = true; // the default since the handler declares it
                case "--handlers-on-scheduler" -> handlersOnLoop = false;
                case "--no-rxnull" -> sec.rxnull = false;
                default -> {
                    if (!sec.option(opt, a)) {
                        engine = engineOption(opt, a, engine);
                    }
                }
            }
        }
        if (sec.krb5) {
            throw new UsageException("-5 is a client option");
        }
        SecurityOptions security = sec.options();
        RxperfServer server;
        try {
            server = RxperfServer.start(host, port, engine, stats ? new EngineStats() : null, handlersOnLoop, security);
        } catch (RuntimeException e) {
            throw new UsageException("cannot serve on " + host + ":" + port + ": " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            out.println(server.summary());
            out.flush();
            stopped.countDown();
        }));
        InetSocketAddress bound = server.address();
        out.printf(
                Locale.ROOT,
                "rxperf server listening on %s:%d (service %d, jumbo %s, security %s)%n",
                bound.getAddress().getHostAddress(),
                bound.getPort(),
                RxperfProtocol.SERVICE_ID,
                engine.jumbo() ? "on" : "off",
                security.rxkad()
                        ? "rxkad min " + RxkadLevel.name(security.level()) + (security.allowRxnull() ? " + rxnull" : "")
                        : "rxnull");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int client(Args a, PrintStream out, PrintStream err) {
        String host = "127.0.0.1";
        int port = RxperfProtocol.PORT;
        Op op = null;
        int threads = 1;
        long times = ClientOptions.DEFAULT_TIMES;
        Duration duration = null;
        Duration warmup = null;
        int bytes = ClientOptions.DEFAULT_BYTES;
        int sendBytes = ClientOptions.DEFAULT_SEND_BYTES;
        int recvBytes = ClientOptions.DEFAULT_RECV_BYTES;
        List<Integer> phases = List.of();
        boolean cookie = false;
        boolean verify = false;
        boolean keepGoing = false;
        boolean json = false;
        boolean stats = false;
        EngineOptions engine = EngineOptions.defaults();
        Rxkad sec = new Rxkad();
        while (a.more()) {
            String opt = a.next();
            switch (opt) {
                case "-c", "--command" -> {
                    String v = a.value(opt);
                    op = Op.ofLabel(v);
                    if (op == null) {
                        throw new UsageException("unknown command -c " + v + " (rpc, send, recv or file)");
                    }
                }
                case "-s", "--server" -> host = a.value(opt);
                case "-p", "--port" -> port = a.intValue(opt);
                case "-t", "--threads" -> threads = a.intValue(opt);
                case "-n", "--times" -> times = a.intValue(opt);
                case "-d", "--duration" -> duration = a.seconds(opt);
                case "--warmup" -> warmup = a.seconds(opt);
                case "-T" -> times = a.intValue(opt); // OpenAFS rxperf's spelling of -n
                case "-b", "--bytes" -> bytes = a.size(opt);
                case "-S", "--sendbytes" -> sendBytes = a.size(opt);
                case "-R", "--recvbytes" -> recvBytes = a.size(opt);
                case "-f", "--file" -> phases = readPhaseFile(a.value(opt));
                case "--phases" -> phases = parsePhases(a.value(opt));
                case "--cookie" -> cookie = true;
                case "--verify" -> verify = true;
                case "--keep-going" -> keepGoing = true;
                case "--json" -> json = true;
                case "--stats", "-D" -> stats = true;
                default -> {
                    if (!sec.option(opt, a)) {
                        engine = engineOption(opt, a, engine);
                    }
                }
            }
        }
        if (op == null) {
            throw new UsageException("client needs -c rpc|send|recv|file");
        }
        ClientOptions options;
        SecurityClass security;
        try {
            options = new ClientOptions(
                    new InetSocketAddress(InetAddress.getByName(host), port),
                    op,
                    threads,
                    times,
                    duration,
                    bytes,
                    sendBytes,
                    recvBytes,
                    phases,
                    cookie,
                    verify,
                    keepGoing,
                    engine,
                    warmup);
            CallPlan.of(options); // validates the FILE phases
            security = sec.options().clientSecurity();
        } catch (UnknownHostException e) {
            throw new UsageException("unknown host " + host);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        RxperfClient.LiveCounters live = new RxperfClient.LiveCounters();
        ScheduledExecutorService progress = System.console() != null ? startProgress(live, err) : null;
        EngineStats engineStats = stats ? new EngineStats() : null;
        BenchmarkResult result;
        try {
            // A harness reads this line to sample the server's CPU over the measured part only.
            Runnable measuring = !json
                    ? () -> {}
                    : () -> {
                        err.println(MEASURING_MARKER);
                        err.flush();
                    };
            result = RxperfClient.run(
                    options, live, engineStats == null ? RxMetricsRecorder.NOOP : engineStats, security, measuring);
        } finally {
            if (progress != null) {
                progress.shutdownNow();
                err.print("\r" + " ".repeat(78) + "\r");
                err.flush();
            }
        }
        PrintStream humanOut = json ? err : out;
        if (engineStats != null) {
            humanOut.println(engineStats.summary());
        }
        if (json) {
            err.print(result.human());
            err.flush();
            out.println(result.json());
        } else {
            out.print(result.human());
        }
        out.flush();
        return result.errors() == 0 ? 0 : 1;
    }

    private static ScheduledExecutorService startProgress(RxperfClient.LiveCounters live, PrintStream err) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rxperf-progress");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        long[] last = {0, 0};
        s.scheduleAtFixedRate(
                () -> {
                    long calls = live.calls();
                    long bytes = live.bytes();
                    String line = String.format(
                            Locale.ROOT,
                            "\r[%4ds] %d calls, %d calls/s, %.1f MB/s, %d errors",
                            (System.nanoTime() - start) / 1_000_000_000L,
                            calls,
                            calls - last[0],
                            (bytes - last[1]) / 1e6,
                            live.errors());
                    last[0] = calls;
                    last[1] = bytes;
                    err.print(line + " ".repeat(Math.max(0, 79 - line.length())));
                    err.flush();
                },
                1,
                1,
                TimeUnit.SECONDS);
        return s;
    }

    private static EngineOptions engineOption(String opt, Args a, EngineOptions e) {
        return switch (opt) {
            case "--no-jumbo", "-j" -> e.withJumbo(false);
            case "-u", "--udpbuf" -> new EngineOptions(e.jumbo(), a.size(opt), e.windowPackets(), e.backlog());
            case "-W", "--window" -> {
                int w = a.intValue(opt);
                if (w < 1 || w > 255) {
                    throw new UsageException("--window must be 1..255");
                }
                yield new EngineOptions(e.jumbo(), e.udpBufferBytes(), w, e.backlog());
            }
            case "--backlog" -> {
                int b = a.intValue(opt);
                if (b < 4 || b > 31) {
                    throw new UsageException("--backlog must be 4..31");
                }
                yield new EngineOptions(e.jumbo(), e.udpBufferBytes(), e.windowPackets(), b);
            }
            default -> throw new UsageException("unknown option " + opt);
        };
    }

    /** The security options both sides share, as they are parsed. */
    private static final class Rxkad {
        Path keyDir;
        Integer level;
        boolean krb5;
        boolean rxnull = true;

        boolean option(String opt, Args a) {
            switch (opt) {
                case "-k", "--keydir" -> keyDir = Path.of(a.value(opt));
                case "-l", "--level" -> {
                    String v = a.value(opt);
                    try {
                        level = RxkadLevel.parse(v);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("-l must be clear, auth or crypt, got " + v);
                    }
                }
                case "-5" -> krb5 = true;
                default -> {
                    return false;
                }
            }
            return true;
        }

        SecurityOptions options() {
            if (keyDir == null) {
                if (level != null || krb5 || !rxnull) {
                    throw new UsageException("-l, -5 and --no-rxnull need -k KEYDIR");
                }
                return SecurityOptions.none();
            }
            try {
                return new SecurityOptions(
                        SecurityOptions.loadKeys(keyDir), level == null ? RxkadLevel.CLEAR : level, krb5, rxnull);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
    }

    /** Comma-separated phase lengths in 4-byte words; 0 switches direction. */
    static List<Integer> parsePhases(String s) {
        List<Integer> out = new ArrayList<>();
        for (String p : s.split(",")) {
            out.add(phase(p.trim()));
        }
        return out;
    }

    /** OpenAFS rxperf's {@code -f} file: one phase length (words) per line, an empty line switching direction. */
    static List<Integer> readPhaseFile(String file) {
        List<Integer> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                out.add(line.isEmpty() ? 0 : phase(line.trim()));
            }
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
        return out;
    }

    private static int phase(String s) {
        try {
            long v = Long.decode(s);
            if (v < 0 || v > 0xffffffffL) {
                throw new UsageException("phase length out of range: " + s);
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new UsageException("not a phase length: " + s);
        }
    }

    /** A cursor over the arguments. */
    private static final class Args {
        private final String[] args;
        private int i;

        Args(String[] args, int start) {
            this.args = args;
            this.i = start;
        }

        boolean more() {
            return i < args.length;
        }

        String next() {
            return args[i++];
        }

        String value(String opt) {
            if (i >= args.length) {
                throw new UsageException(opt + " needs a value");
            }
            return args[i++];
        }

        int intValue(String opt) {
            String v = value(opt);
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new UsageException(opt + " wants a number, got " + v);
            }
        }

        Duration seconds(String opt) {
            String v = value(opt);
            try {
                double s = Double.parseDouble(v);
                if (!(s > 0)) {
                    throw new NumberFormatException();
                }
                return Duration.ofNanos((long) (s * 1e9));
            } catch (NumberFormatException e) {
                throw new UsageException(opt + " wants a positive number of seconds, got " + v);
            }
        }

        int size(String opt) {
            try {
                return Sizes.parseInt32(value(opt));
            } catch (IllegalArgumentException e) {
                throw new UsageException(opt + ": " + e.getMessage());
            }
        }
    }
}
