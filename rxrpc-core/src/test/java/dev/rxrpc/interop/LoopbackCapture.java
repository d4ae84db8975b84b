package dev.rxrpc.interop;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A packet capture on the loopback interface with Wireshark's {@code dumpcap}, limited to some UDP ports. {@link
 * #close()} stops it with SIGTERM ({@link Process#destroy()}), on which dumpcap flushes and closes the file.
 */
final class LoopbackCapture implements AutoCloseable {

    private final Process process;
    private final Path file;
    private final StringBuffer log = new StringBuffer();

    private LoopbackCapture(Process process, Path file) {
        this.process = process;
        this.file = file;
    }

    /** Starts capturing UDP traffic on any of {@code ports} into {@code file}; returns once dumpcap is capturing. */
    static LoopbackCapture start(Path file, int... ports) throws IOException, InterruptedException {
        return start(List.of(), file, ports);
    }

    /**
     * As {@link #start(Path, int...)}, with dumpcap run under {@code prefix} (e.g. {@code ip netns exec NS}, to capture
     * the loopback interface of a network namespace).
     */
    static LoopbackCapture start(List<String> prefix, Path file, int... ports)
            throws IOException, InterruptedException {
        String filter =
                java.util.Arrays.stream(ports).mapToObj(p -> "udp port " + p).collect(Collectors.joining(" or "));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("dumpcap", "-i", "lo", "-f", filter, "-w", file.toString()));
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("dumpcap missing: run scripts/test.sh, which installs tshark", e);
        }
        LoopbackCapture c = new LoopbackCapture(p, file);
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            c.log.append(line).append('\n');
                            if (line.startsWith("File:")) {
                                ready.countDown();
                            }
                        }
                    } catch (IOException ignored) {
                        // dumpcap went away
                    } finally {
                        ready.countDown();
                    }
                },
                "dumpcap-output");
        reader.setDaemon(true);
        reader.start();
        if (!ready.await(10, TimeUnit.SECONDS) || !p.isAlive()) {
            c.close();
            throw new IllegalStateException("dumpcap did not start (capturing on lo needs root or the "
                    + "wireshark group): " + command + "\n" + c.log);
        }
        return c;
    }

    private long fileSize() {
        try {
            return Files.exists(file) ? Files.size(file) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    Path file() {
        return file;
    }

    /** What dumpcap printed (e.g. "Packets captured: N" once stopped). */
    String log() {
        return log.toString();
    }

    /**
     * Stops the capture (SIGTERM) and waits until the file is complete. Frames still sitting in the kernel's capture
     * ring are lost by a SIGTERM: libpcap hands dumpcap a ring block only when it fills or its read timeout (250 ms in
     * dumpcap) expires, and dumpcap has no immediate mode. So first wait until the file has stopped growing for longer
     * than that timeout (bounded), which is when the last block has been written out.
     */
    @Override
    public void close() throws InterruptedException {
        long[] last = {fileSize(), System.nanoTime()}; // size, when it last changed
        try {
            org.awaitility.Awaitility.await("dumpcap's file quiet for 600 ms")
                    .atMost(java.time.Duration.ofSeconds(5))
                    .pollInterval(java.time.Duration.ofMillis(50))
                    .until(() -> {
                        long size = fileSize();
                        if (size != last[0]) {
                            last[0] = size;
                            last[1] = System.nanoTime();
                        }
                        return !process.isAlive() || System.nanoTime() - last[1] >= TimeUnit.MILLISECONDS.toNanos(600);
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // Still growing after 5 s: stop anyway; the frame counts in the test will say what is missing.
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
