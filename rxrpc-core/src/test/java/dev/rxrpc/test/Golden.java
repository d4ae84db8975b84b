package dev.rxrpc.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A golden vector: one UDP payload captured from real OpenAFS 1.8.9 peers, stored as test resource
 * {@code golden/NAME.hex} (see {@code golden/README.md}). Comment lines start with {@code #}; the last line is the
 * payload in hex.
 *
 * @param name the file name without {@code .hex}
 * @param comments the comment lines, verbatim (including the leading {@code #})
 * @param payload the UDP payload (a copy is returned)
 */
public record Golden(String name, List<String> comments, byte[] payload) {

    public static final String RESOURCE_DIR = "golden";
    public static final String HEADER_PREFIX = "# rx header:";
    public static final String BODY_PREFIX = "# body:";
    public static final String SOURCE_PREFIX = "# source:";

    /** {@code key=value}; a parenthesised note after the key is dropped ({@code maxMTU(largest ...)=5692}). */
    private static final Pattern KEY_VALUE =
            Pattern.compile("(?<![\\w./-])([A-Za-z_][\\w./-]*)(?:\\([^)]*\\))?=([^\\s|]*)");

    private static final Pattern SOURCE = Pattern.compile(
            "# source: (\\S+) frame (\\d+), (\\S+):(\\d+) -> (\\S+):(\\d+), (\\d+) bytes of UDP payload");

    /**
     * Where the vector was captured: {@code # source: pcap/X.pcapng frame N, A:P -> B:Q, L bytes of UDP payload}.
     */
    public record Source(
            String capture,
            int frame,
            String srcAddress,
            int srcPort,
            String dstAddress,
            int dstPort,
            int payloadLength) {}

    public Golden {
        comments = List.copyOf(comments);
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** Loads {@code golden/NAME.hex} from the test class path. */
    public static Golden load(String name) {
        String resource = RESOURCE_DIR + "/" + name + ".hex";
        try (InputStream in = Golden.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden vector " + resource + " on the test class path");
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    /** Parses the text of a {@code .hex} file. */
    public static Golden parse(String name, String text) {
        List<String> comments = new ArrayList<>();
        String hex = null;
        for (String line : text.split("\r?\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.startsWith("#")) {
                comments.add(trimmed);
            } else {
                hex = trimmed; // the last non-comment line is the payload
            }
        }
        if (hex == null) {
            throw new IllegalArgumentException("golden vector " + name + " has no payload line");
        }
        return new Golden(name, comments, HexFormat.of().parseHex(hex));
    }

    /** The names of all golden vectors on the test class path, sorted. */
    public static List<String> names() {
        URL url = Golden.class.getClassLoader().getResource(RESOURCE_DIR + "/README.md");
        if (url == null) {
            throw new IllegalStateException("test resource " + RESOURCE_DIR + "/README.md not found");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) { // e.g. from the test-jar in another module
                try (FileSystem ignored = FileSystems.newFileSystem(uri, Map.of())) {
                    return list(Path.of(uri).getParent());
                } catch (FileSystemAlreadyExistsException e) {
                    return list(Path.of(uri).getParent());
                }
            }
            return list(Path.of(uri).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every golden vector, in name order. */
    public static List<Golden> all() {
        return names().stream().map(Golden::load).toList();
    }

    /** The {@code key=value} pairs of the {@code # rx header:} line. */
    public Map<String, String> header() {
        return fields(HEADER_PREFIX);
    }

    /** The {@code key=value} pairs of the {@code # body:} lines (empty if there are none). */
    public Map<String, String> body() {
        return fields(BODY_PREFIX);
    }

    /**
     * The {@code key=value} pairs of all comment lines starting with {@code prefix} (e.g. {@code "# rxkad:"}), in
     * order; if a key repeats, the first value wins.
     */
    public Map<String, String> fields(String prefix) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String comment : comments) {
            if (comment.startsWith(prefix)) {
                result.putAll(keyValues(comment.substring(prefix.length()), result));
            }
        }
        return Collections.unmodifiableMap(result);
    }

    /** The {@code # source:} line, parsed. */
    public Source source() {
        for (String comment : comments) {
            if (comment.startsWith(SOURCE_PREFIX)) {
                Matcher m = SOURCE.matcher(comment);
                if (!m.matches()) {
                    throw new IllegalStateException(name + ": unexpected source line: " + comment);
                }
                return new Source(
                        m.group(1),
                        Integer.parseInt(m.group(2)),
                        m.group(3),
                        Integer.parseInt(m.group(4)),
                        m.group(5),
                        Integer.parseInt(m.group(6)),
                        Integer.parseInt(m.group(7)));
            }
        }
        throw new IllegalStateException(name + " has no " + SOURCE_PREFIX + " line");
    }

    /** The first comment line (the one-line description). */
    public String description() {
        return comments.isEmpty() ? "" : comments.get(0).substring(1).strip();
    }

    /** Parses {@code key=value} pairs from free text, in order; if a key repeats, the first value wins. */
    public static Map<String, String> keyValues(String text) {
        return Collections.unmodifiableMap(keyValues(text, Map.of()));
    }

    private static Map<String, String> keyValues(String text, Map<String, String> already) {
        Map<String, String> result = new LinkedHashMap<>();
        Matcher m = KEY_VALUE.matcher(text);
        while (m.find()) {
            if (!already.containsKey(m.group(1))) {
                result.putIfAbsent(m.group(1), m.group(2));
            }
        }
        return result;
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".hex"))
                    .map(n -> n.substring(0, n.length() - ".hex".length()))
                    .sorted()
                    .toList();
        }
    }
}
