package dev.rxrpc.test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Wireshark's {@code tshark} over a capture file and reports how its RX dissector saw every frame: the
 * independent check that the bytes this project puts on the wire are RX as OpenAFS and Wireshark understand it.
 *
 * <p>The RX dissector is bound to UDP ports 7000-7009, so frames on those ports need no decode-as rule; for other
 * ports pass {@link #rxOnPort(int)} rules. tshark is required: if it is missing the call fails (it never skips), and
 * {@code scripts/test.sh} installs it. Its stderr (e.g. the warning about running as root) is ignored.
 */
public final class Tshark {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    /** {@code _ws.expert.severity} of an Error-level expert item (PI_ERROR). */
    public static final long SEVERITY_ERROR = 8_388_608L;

    static final String MISSING = "tshark missing: run scripts/test.sh, which installs it";

    private static final List<String> BUILT_IN_FIELDS =
            List.of("frame.number", "frame.protocols", "_ws.malformed", "_ws.expert.severity");

    /** How tshark dissected one frame. */
    public record FrameInfo(
            int number,
            List<String> protocols,
            boolean malformed,
            List<Long> expertSeverities,
            Map<String, String> fields) {

        public boolean rx() {
            return protocols.contains("rx");
        }

        public boolean expertError() {
            return expertSeverities.stream().anyMatch(s -> s == SEVERITY_ERROR);
        }

        /** The requested field's value as tshark printed it: occurrences joined by ',', "" if absent. */
        public String field(String name) {
            String value = fields.get(name);
            if (value == null) {
                throw new IllegalArgumentException(
                        "field " + name + " was not requested; requested: " + fields.keySet());
            }
            return value;
        }

        /**
         * The first occurrence of the requested field ("" if absent): the RX header's value for fields that the body
         * repeats (an ACK's {@code rx.serial}, a RESPONSE's {@code rx.securityindex}).
         */
        public String first(String name) {
            List<String> all = values(name);
            return all.isEmpty() ? "" : all.get(0);
        }

        /** Every occurrence of the requested field in this frame (empty if absent). */
        public List<String> values(String name) {
            String value = field(name);
            return value.isEmpty() ? List.of() : List.of(value.split(",", -1));
        }
    }

    /** The summary of one tshark run, plus one {@link FrameInfo} per frame in capture order. */
    public record Result(
            int frames, int rxFrames, int malformedFrames, int expertErrorFrames, List<FrameInfo> perFrame) {

        static Result of(List<FrameInfo> perFrame) {
            return new Result(
                    perFrame.size(),
                    (int) perFrame.stream().filter(FrameInfo::rx).count(),
                    (int) perFrame.stream().filter(FrameInfo::malformed).count(),
                    (int) perFrame.stream().filter(FrameInfo::expertError).count(),
                    List.copyOf(perFrame));
        }

        public FrameInfo frame(int number) {
            return perFrame.get(number - 1);
        }

        /** The requested field's value in every frame, in capture order. */
        public List<String> column(String field) {
            return perFrame.stream().map(f -> f.field(field)).toList();
        }
    }

    private Tshark() {}

    /** Dissects {@code pcap} with the default port bindings (RX on 7000-7009), extracting {@code fields}. */
    public static Result analyze(Path pcap, String... fields) {
        return analyze(pcap, Arrays.asList(fields));
    }

    /** Dissects {@code pcap} with the default port bindings (RX on 7000-7009), extracting {@code fields}. */
    public static Result analyze(Path pcap, List<String> fields) {
        return analyze(pcap, List.of(), fields, List.of(), DEFAULT_TIMEOUT);
    }

    /**
     * Dissects {@code pcap}, extracting {@code fields}, with extra decode-as rules ({@code -d} values such as
     * {@link #rxOnPort(int)}).
     */
    public static Result analyze(Path pcap, Collection<String> decodeAs, List<String> fields) {
        return analyze(pcap, decodeAs, fields, List.of(), DEFAULT_TIMEOUT);
    }

    /**
     * Dissects {@code pcap}. {@code decodeAs} are {@code -d} values, {@code extraArgs} further tshark options (e.g.
     * {@code -o udp.check_checksum:TRUE}); fails if tshark is missing, exits non-zero or exceeds {@code timeout}.
     */
    public static Result analyze(
            Path pcap, Collection<String> decodeAs, List<String> fields, List<String> extraArgs, Duration timeout) {
        String tshark = executable();
        List<String> command = new ArrayList<>(List.of(tshark, "-n", "-r", pcap.toString()));
        for (String rule : decodeAs) {
            command.add("-d");
            command.add(rule);
        }
        command.addAll(extraArgs);
        command.addAll(List.of("-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (String field : BUILT_IN_FIELDS) {
            command.add("-e");
            command.add(field);
        }
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        return parse(run(command, timeout), fields);
    }

    /** The decode-as rule that makes tshark dissect UDP {@code port} as RX. */
    public static String rxOnPort(int port) {
        return "udp.port==" + port + ",rx";
    }

    /** Whether a {@code tshark} executable is on the PATH. */
    public static boolean installed() {
        return find() != null;
    }

    private static String executable() {
        String path = find();
        if (path == null) {
            throw new IllegalStateException(MISSING);
        }
        return path;
    }

    private static String find() {
        String pathEnv = System.getenv("PATH");
        if (pathEnv == null) {
            return null;
        }
        for (String dir : pathEnv.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "tshark");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static List<String> run(List<String> command, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile("tshark-", ".tsv");
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("tshark timed out after " + timeout + ": " + command);
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("tshark exited with " + process.exitValue() + ": " + command
                        + " (rerun it by hand to see its stderr)");
            }
            return lines;
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

    static Result parse(List<String> lines, List<String> fields) {
        List<FrameInfo> frames = new ArrayList<>();
        for (String line : lines) {
            if (line.isEmpty()) {
                continue;
            }
            String[] columns = line.split("\t", -1);
            if (columns.length != BUILT_IN_FIELDS.size() + fields.size()) {
                throw new IllegalStateException("unexpected tshark output line (" + columns.length + " columns, "
                        + (BUILT_IN_FIELDS.size() + fields.size()) + " expected): " + line);
            }
            List<String> protocols = List.of(columns[1].split(":"));
            boolean malformed = !columns[2].isEmpty() || protocols.contains("_ws.malformed");
            List<Long> severities = columns[3].isEmpty()
                    ? List.of()
                    : Arrays.stream(columns[3].split(",")).map(Long::decode).toList();
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                values.put(fields.get(i), columns[BUILT_IN_FIELDS.size() + i]);
            }
            frames.add(new FrameInfo(
                    Integer.parseInt(columns[0]),
                    protocols,
                    malformed,
                    severities,
                    Collections.unmodifiableMap(values)));
        }
        return Result.of(frames);
    }
}
