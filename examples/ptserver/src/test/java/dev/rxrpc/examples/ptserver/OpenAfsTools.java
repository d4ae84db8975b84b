package dev.rxrpc.examples.ptserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's OpenAFS client tools (pts, udebug) against a ptserver on a loopback address, through a client
 * configuration directory that names only that address.
 */
final class OpenAfsTools {

    /** What a command printed and returned. */
    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    final String address;
    final Path config;

    private OpenAfsTools(String address, Path config) {
        this.address = address;
        this.config = config;
    }

    static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/pts")) && Files.isExecutable(Path.of("/usr/bin/udebug"));
    }

    /**
     * A random 127.x.y.z address: pts always uses port 7002, so a private loopback address keeps tests apart from a
     * demo server on 127.0.0.1 and from parallel builds.
     */
    static String randomLoopbackAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "127." + (10 + r.nextInt(200)) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    static OpenAfsTools forServer(String address, Path dir) throws IOException {
        Path config = Files.createDirectories(dir.resolve("client"));
        Files.writeString(config.resolve("ThisCell"), "rxrpc.test\n");
        Files.writeString(
                config.resolve("CellServDB"), ">rxrpc.test\t#ptserver under test\n" + address + "\t#ptserver\n");
        return new OpenAfsTools(address, config);
    }

    Result pts(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("pts"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-noauth", "-config", config.toString()));
        return run(cmd);
    }

    Result udebug(String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("udebug", address, "7002"));
        cmd.addAll(List.of(extra));
        return run(cmd);
    }

    static Result run(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ptstest", ".out");
        Path err = Files.createTempFile("ptstest", ".err");
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
