package dev.rxrpc.examples.rxperf;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The OpenAFS reference peer of {@code interop/openafs-peer} (rxperf on OpenAFS 1.8.9's own Rx, rxkad and libauth),
 * built once per JVM into {@code target/openafs-peer/rxperf-peer}. Needs gcc and libopenafs-dev (scripts/test.sh
 * installs them); without them the build fails with a message saying so.
 */
final class CPeer {

    private static Path binary;

    private CPeer() {}

    static synchronized Path binary() {
        if (binary != null) {
            return binary;
        }
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (root != null && !Files.isRegularFile(root.resolve("interop/openafs-peer/build.sh"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IllegalStateException("interop/openafs-peer/build.sh not found above the module");
        }
        Path out = Path.of(System.getProperty("user.dir"), "target", "openafs-peer", "rxperf-peer")
                .toAbsolutePath();
        Result r = run(
                List.of("bash", root.resolve("interop/openafs-peer/build.sh").toString(), out.toString()),
                Duration.ofMinutes(2));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("building the OpenAFS peer failed (exit " + r.exitCode()
                    + "; gcc and libopenafs-dev come from scripts/test.sh):\n" + r.output());
        }
        binary = out;
        return binary;
    }

    static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Result(int exitCode, String output) {

        /** The first error code the client reported ({@code first error code N}), or 0. */
        int firstErrorCode() {
            int i = output.indexOf("first error code ");
            if (i < 0) {
                return 0;
            }
            String rest = output.substring(i + "first error code ".length());
            return Integer.parseInt(rest.substring(0, rest.indexOf(')')));
        }
    }

    /** Runs {@code rxperf-peer client -s 127.0.0.1 -p PORT ARGS...}. */
    static Result client(int port, String... args) {
        List<String> cmd =
                new ArrayList<>(List.of(binary().toString(), "client", "-s", "127.0.0.1", "-p", String.valueOf(port)));
        cmd.addAll(Arrays.asList(args));
        return run(cmd, Duration.ofSeconds(90));
    }

    static Result run(List<String> cmd, Duration timeout) {
        try {
            Path out = Files.createTempFile("rxperf-peer", ".out");
            try {
                Process p = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    throw new IllegalStateException("timed out: " + cmd + "\n" + Files.readString(out));
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A running {@code rxperf-peer server -k KEYDIR} on a free loopback port. */
    static final class Server implements AutoCloseable {
        final Process process;
        final int port;
        final StringBuffer output = new StringBuffer();

        Server(String... args) {
            port = freeUdpPort();
            List<String> cmd = new ArrayList<>(List.of(binary().toString(), "server", "-p", String.valueOf(port)));
            cmd.addAll(Arrays.asList(args));
            try {
                process = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread t = new Thread(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        output.append(l).append('\n');
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            t.setDaemon(true);
            t.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }

        boolean listening() {
            return output.indexOf("server listening") >= 0;
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
}
