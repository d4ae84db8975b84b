package dev.rxrpc.interop;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAFS reference peer of {@code interop/openafs-peer}: an rxperf server and client on OpenAFS's own Rx library
 * (libafsrpc 1.8.9). Builds it once per JVM into {@code target/openafs-peer/rxperf-peer}, starts it as a server on a
 * free loopback port, and runs it as a client, parsing its {@code --json} summary.
 *
 * <p>Needs gcc and libopenafs-dev; if they are missing the build fails (it never skips) and says to run {@code
 * scripts/test.sh}, which installs them.
 */
public final class OpenAfsPeer {

    static final String MISSING = "gcc or libopenafs-dev missing: run scripts/test.sh, which installs them";

    private static final Duration BUILD_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern JSON_FIELD = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[-0-9.eE+]+)");

    private static Path binary;

    private OpenAfsPeer() {}

    /** The built peer, compiled on first use in this JVM by {@code interop/openafs-peer/build.sh}. */
    public static synchronized Path binary() {
        if (binary != null) {
            return binary;
        }
        if (!onPath("gcc") || !Files.isRegularFile(Path.of("/usr/lib/libafsrpc.a"))) {
            throw new IllegalStateException(MISSING);
        }
        Path script = repositoryRoot().resolve("interop/openafs-peer/build.sh");
        Path out = Path.of(System.getProperty("user.dir"), "target", "openafs-peer", "rxperf-peer")
                .toAbsolutePath();
        Run run = run(List.of("bash", script.toString(), out.toString()), BUILD_TIMEOUT);
        if (run.exitCode == 3) {
            throw new IllegalStateException(MISSING + "\n" + run.output);
        }
        if (run.exitCode != 0 || !Files.isExecutable(out)) {
            throw new IllegalStateException(
                    "building the OpenAFS peer failed (exit " + run.exitCode + "):\n" + run.output);
        }
        binary = out;
        return binary;
    }

    /** A UDP port free on 127.0.0.1 just now (bound to port 0, then released). */
    public static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code rxperf-peer server -p PORT ARGS...} on a free loopback port and waits until it listens. */
    public static Server startServer(String... args) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freeUdpPort();
            List<String> command =
                    new ArrayList<>(List.of(binary().toString(), "server", "-p", Integer.toString(port)));
            command.addAll(Arrays.asList(args));
            try {
                return new Server(command, port);
            } catch (IllegalStateException e) {
                last = e; // most likely the port was taken between the probe and the bind: try another
            }
        }
        throw last;
    }

    /**
     * Runs {@code rxperf-peer client -s 127.0.0.1 -p PORT ARGS... --json} and returns its summary; fails if it prints
     * no JSON line or exceeds {@code timeout}. A non-zero exit is returned, not thrown.
     */
    public static ClientResult runClient(int port, Duration timeout, String... args) {
        List<String> command = new ArrayList<>(
                List.of(binary().toString(), "client", "-s", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(Arrays.asList(args));
        command.add("--json");
        Run run = run(command, timeout);
        String json = run.output
                .lines()
                .filter(l -> l.startsWith("{\"tool\":\"rxperf-c\""))
                .reduce((a, b) -> {
                    throw new IllegalStateException("more than one JSON line:\n" + run.output);
                })
                .orElseThrow(() -> new IllegalStateException(
                        "no JSON summary from " + command + " (exit " + run.exitCode + "):\n" + run.output));
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = JSON_FIELD.matcher(json);
        while (m.find()) {
            String v = m.group(2);
            fields.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
        }
        return new ClientResult(run.exitCode, json, fields, run.output);
    }

    /** The {@code --json} summary of one client run, plus its exit code and everything it printed. */
    public record ClientResult(int exitCode, String json, Map<String, String> fields, String output) {

        public String command() {
            return fields.get("command");
        }

        public long calls() {
            return Long.parseLong(fields.get("calls"));
        }

        public long errors() {
            return Long.parseLong(fields.get("errors"));
        }

        public int threads() {
            return Integer.parseInt(fields.get("threads"));
        }

        public double number(String key) {
            String v = fields.get(key);
            if (v == null) {
                throw new IllegalArgumentException("no " + key + " in " + json);
            }
            return Double.parseDouble(v);
        }
    }

    /** A running {@code rxperf-peer server}; {@link #close()} kills it. */
    public static final class Server implements AutoCloseable {
        private final Process process;
        private final int port;
        private final StringBuffer output = new StringBuffer();

        Server(List<String> command, int port) {
            this.port = port;
            try {
                process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("could not start " + command, e);
            }
            CountDownLatch ready = new CountDownLatch(1);
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader r = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = r.readLine()) != null) {
                                output.append(line).append('\n');
                                if (line.contains("server listening")) {
                                    ready.countDown();
                                }
                            }
                        } catch (IOException ignored) {
                            // the process went away
                        } finally {
                            ready.countDown();
                        }
                    },
                    "rxperf-peer-server-" + port);
            reader.setDaemon(true);
            reader.start();
            try {
                if (!ready.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || !process.isAlive()) {
                    close();
                    throw new IllegalStateException("OpenAFS peer server did not start: " + command + "\n" + output);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while starting " + command, e);
            }
        }

        public int port() {
            return port;
        }

        public InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }

        /** What the server printed so far (warnings about failed calls go here). */
        public String output() {
            return output.toString();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Run(int exitCode, String output) {}

    private static Run run(List<String> command, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile("rxperf-peer-", ".out");
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("timed out after " + timeout + ": " + command + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("interop/openafs-peer/build.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "interop/openafs-peer/build.sh not found above " + System.getProperty("user.dir"));
    }

    private static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }
}
