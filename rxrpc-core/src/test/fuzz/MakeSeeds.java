import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Regenerates the regression seed corpus of {@code dev.rxrpc.wire.PacketCodecFuzzTest}: one raw file per golden
 * vector ({@code golden-<name>}) plus hand-crafted edge cases ({@code crafted-<what>}, mostly malformed). JDK only,
 * run from the repository root as a single-file program:
 *
 * <pre>java rxrpc-core/src/test/fuzz/MakeSeeds.java</pre>
 *
 * It rewrites the generated files and leaves any other file there alone (e.g. minimised crash inputs that the fuzzer
 * found and were added as regressions under another name).
 */
public class MakeSeeds {

    static final Path GOLDEN = Path.of("rxrpc-core/src/test/resources/golden");
    static final Path OUT = Path.of(
            "rxrpc-core/src/test/resources/dev/rxrpc/wire/PacketCodecFuzzTestInputs/decodeEncodeDecodeIsStable");

    static final int DATA = 1, ACK = 2, BUSY = 3, ABORT = 4, ACKALL = 5, CHALLENGE = 6, RESPONSE = 7, DEBUG = 8;
    static final int PARAMS = 9, VERSION = 13;
    static final int CLIENT_INITIATED = 0x01, LAST = 0x04, JUMBO = 0x20;
    static final int JUMBO_DATA = 1412;

    public static void main(String[] args) throws IOException {
        Files.createDirectories(OUT);
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(GOLDEN)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".hex")).sorted().toList()) {
                String name = p.getFileName().toString().replace(".hex", "");
                String hex = null;
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    if (!line.startsWith("#") && !line.isBlank()) {
                        hex = line.trim();
                    }
                }
                seeds.put("golden-" + name, HexFormat.of().parseHex(hex));
            }
        }
        crafted(seeds);
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            Files.write(OUT.resolve(e.getKey()), e.getValue());
        }
        System.out.println(seeds.size() + " seeds written to " + OUT);
    }

    static void crafted(Map<String, byte[]> s) {
        // Header and type checks.
        s.put("crafted-short-header", slice(header(ACK, 1, 0, 0), 27));
        s.put("crafted-type-0", header(0, 1, 1, 0));
        s.put("crafted-type-params", header(PARAMS, 1, 0, 0));
        s.put("crafted-type-unknown-200", header(200, 1, 0, 0));
        s.put("crafted-data-call-zero", cat(header(DATA, 0, 1, LAST), bytes(10, 0x41)));
        s.put("crafted-data-seq-zero", cat(header(DATA, 1, 0, LAST), bytes(10, 0x41)));
        s.put("crafted-busy-call-zero", header(BUSY, 0, 0, 0));
        s.put("crafted-ackall", header(ACKALL, 7, 0, 0));

        // ACK.
        s.put("crafted-ack-truncated", cat(header(ACK, 1, 0, 0), bytes(17, 0)));
        s.put("crafted-ack-nacks-past-end", cat(header(ACK, 1, 0, 0), ackFixed(255), bytes(10, 1)));
        s.put("crafted-ack-no-pad", cat(header(ACK, 1, 0, 0), ackFixed(2), bytes(2, 1)));
        s.put("crafted-ack-short-pad", cat(header(ACK, 1, 0, 0), ackFixed(1), bytes(1, 1), bytes(2, 0)));
        s.put("crafted-ack-trailer-partial-word", cat(header(ACK, 1, 0, 0), ackFixed(2), bytes(2, 1), bytes(3, 0),
                bytes(6, 0x11)));
        s.put("crafted-ack-trailer-1-word", cat(header(ACK, 1, 0, 0), ackFixed(0), bytes(3, 0), words(1444)));
        s.put("crafted-ack-trailer-3-words", cat(header(ACK, 1, 0, 0), ackFixed(3), bytes(3, 1), bytes(3, 0),
                words(1444, 1444, 32)));
        // Non-zero pad and padding bytes after a full trailer: valid, but re-encodes with zeros.
        s.put("crafted-ack-nonzero-pad-and-extra", cat(header(ACK, 1, 0, 0), ackFixed(4), bytes(4, 1),
                bytes(3, 0xee), words(5692, 1444, 255, 4), bytes(5, 0xaa)));
        s.put("crafted-ack-255-entries", cat(header(ACK, 1, 0, 0), ackFixed(255), bytes(255, 1), bytes(3, 0),
                words(5692, 1444, 255, 46)));

        // DATA and jumbograms.
        s.put("crafted-jumbo-short", cat(header(DATA, 1, 1, JUMBO), bytes(100, 0x42)));
        s.put("crafted-jumbo-and-last", cat(header(DATA, 1, 1, JUMBO | LAST), bytes(JUMBO_DATA + 4 + 10, 0x42)));
        s.put("crafted-jumbo-sub-jumbo-and-last", jumbo(1, 3, JUMBO | LAST, 10));
        s.put("crafted-jumbo-empty-last", jumbo(1, 2, LAST, 0));
        s.put("crafted-jumbo-seq-wraps", jumbo(0xffffffff, 2, LAST, 20));
        s.put("crafted-jumbo-46", jumbo(1, 46, LAST, 1412));
        s.put("crafted-jumbo-47-too-many", jumbo(1, 47, LAST, 10));
        s.put("crafted-data-oversize-plain", cat(header(DATA, 1, 1, LAST), bytes(3000, 0x43)));

        // ABORT, CHALLENGE, RESPONSE.
        s.put("crafted-abort-truncated", cat(header(ABORT, 1, 0, 0), bytes(3, 0)));
        s.put("crafted-challenge-truncated", cat(header(CHALLENGE, 0, 0, 0), bytes(7, 0)));
        s.put("crafted-challenge-legacy", cat(header(CHALLENGE, 0, 0, 0), words(0x12345678, 1)));
        s.put("crafted-response-bad-version", cat(header(RESPONSE, 0, 0, CLIENT_INITIATED), words(3, 0),
                bytes(48, 0)));
        s.put("crafted-response-truncated", cat(header(RESPONSE, 0, 0, CLIENT_INITIATED), words(2, 0),
                bytes(20, 0)));
        s.put("crafted-response-oversize-ticket", cat(header(RESPONSE, 0, 0, CLIENT_INITIATED), words(2, 0),
                bytes(40, 0x5a), words(2, 12001), bytes(16, 0)));
        s.put("crafted-response-ticket-past-end", cat(header(RESPONSE, 0, 0, CLIENT_INITIATED), words(2, 0),
                bytes(40, 0x5a), words(2, 100), bytes(10, 0)));
        s.put("crafted-response-ticket-len-negative", cat(header(RESPONSE, 0, 0, CLIENT_INITIATED), words(2, 0),
                bytes(40, 0x5a), words(2, 0xffffffff), bytes(10, 0)));

        // DEBUG and VERSION.
        s.put("crafted-debug-request-truncated", cat(header(DEBUG, 0, 0, CLIENT_INITIATED), words(1)));
        s.put("crafted-debug-reply-short", cat(header(DEBUG, 0, 0, 0), bytes(10, 0x33)));
        s.put("crafted-debug-reply-badtype", cat(header(DEBUG, 0, 0, 0), words(-8, -8)));
        s.put("crafted-version-empty", header(VERSION, 0, 0, CLIENT_INITIATED));
    }

    static byte[] header(int type, int call, int seq, int flags) {
        return headerAt(type, call, seq, 1, flags);
    }

    static byte[] headerAt(int type, int call, int seq, int serial, int flags) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.putInt(0x9fe6e8b6).putInt(0x65a33c78).putInt(call).putInt(seq).putInt(serial);
        b.put((byte) type).put((byte) flags).put((byte) 0).put((byte) 0).putShort((short) 0).putShort((short) 52);
        return b.array();
    }

    /** The 18 fixed ACK body bytes with the given nAcks. */
    static byte[] ackFixed(int nAcks) {
        ByteBuffer b = ByteBuffer.allocate(18);
        b.putShort((short) 0).putShort((short) 0).putInt(1).putInt(1).putInt(5).put((byte) 1).put((byte) nAcks);
        return b.array();
    }

    /** A jumbogram of n subpackets from seq; the jumbo header before the last one carries lastFlags. */
    static byte[] jumbo(int seq, int n, int lastFlags, int lastLength) {
        byte[] out = headerAt(DATA, 1, seq, 1, JUMBO);
        for (int i = 0; i < n - 1; i++) {
            int nextFlags = i == n - 2 ? lastFlags : JUMBO;
            out = cat(out, bytes(JUMBO_DATA, 0x30 + i), new byte[] {(byte) nextFlags, 0, 0, 0});
        }
        return cat(out, bytes(lastLength, 0x7e));
    }

    static byte[] words(int... ws) {
        ByteBuffer b = ByteBuffer.allocate(4 * ws.length);
        for (int w : ws) {
            b.putInt(w);
        }
        return b.array();
    }

    static byte[] bytes(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    static byte[] slice(byte[] b, int n) {
        return java.util.Arrays.copyOf(b, n);
    }

    static byte[] cat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
