package dev.rxrpc.test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes classic libpcap files (magic {@code a1b2c3d4}, version 2.4, link type {@link #LINKTYPE_RAW} = raw IPv4) of
 * IPv4/UDP datagrams between 127.0.0.1 and 127.0.0.1, so that tests can hand the bytes they produce to tshark.
 *
 * <p>Every frame gets a correct IPv4 header checksum, IPv4 total length and UDP length, and a correct UDP checksum.
 * Payloads may be up to {@link #MAX_UDP_PAYLOAD} bytes (a full-size jumbogram fits). Timestamps are fixed (frame
 * {@code i} at 1 s + {@code i} microseconds), so the same frames always give the same file.
 */
public final class Pcap {

    /** LINKTYPE_RAW: each packet starts with an IPv4 (or IPv6) header, no link-layer header. */
    public static final int LINKTYPE_RAW = 101;

    public static final int SNAPLEN = 262_144;

    /** 65535 - 20 (IPv4 header) - 8 (UDP header). */
    public static final int MAX_UDP_PAYLOAD = 65_507;

    private static final int IPV4_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int PROTO_UDP = 17;
    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    /** One UDP datagram from 127.0.0.1:{@code srcPort} to 127.0.0.1:{@code dstPort}. */
    public record Frame(int srcPort, int dstPort, byte[] udpPayload) {
        public Frame {
            checkPort(srcPort);
            checkPort(dstPort);
            if (udpPayload.length > MAX_UDP_PAYLOAD) {
                throw new IllegalArgumentException(
                        "UDP payload of " + udpPayload.length + " bytes exceeds " + MAX_UDP_PAYLOAD);
            }
        }
    }

    private Pcap() {}

    /** Writes {@code frames} as a new pcap file at {@code file} (replacing it) and returns {@code file}. */
    public static Path write(Path file, List<Frame> frames) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(fileHeader());
            for (int i = 0; i < frames.size(); i++) {
                byte[] packet = ipv4Udp(frames.get(i));
                out.write(recordHeader(i, packet.length));
                out.write(packet);
            }
        }
        return file;
    }

    /** The IPv4 packet (IPv4 header + UDP header + payload) that {@link #write} stores for {@code frame}. */
    public static byte[] ipv4Udp(Frame frame) {
        int udpLength = UDP_HEADER + frame.udpPayload().length;
        int totalLength = IPV4_HEADER + udpLength;
        ByteBuffer b = ByteBuffer.allocate(totalLength).order(ByteOrder.BIG_ENDIAN);
        // IPv4 header
        b.put((byte) 0x45); // version 4, IHL 5
        b.put((byte) 0); // DSCP/ECN
        b.putShort((short) totalLength);
        b.putShort((short) 0); // identification
        b.putShort((short) 0x4000); // flags: don't fragment
        b.put((byte) 64); // TTL
        b.put((byte) PROTO_UDP);
        b.putShort((short) 0); // header checksum, filled in below
        b.put(LOOPBACK);
        b.put(LOOPBACK);
        b.putShort(10, (short) ~onesComplementSum(b.array(), 0, IPV4_HEADER, 0));
        // UDP header
        b.putShort((short) frame.srcPort());
        b.putShort((short) frame.dstPort());
        b.putShort((short) udpLength);
        b.putShort((short) 0); // checksum, filled in below
        b.put(frame.udpPayload());
        b.putShort(IPV4_HEADER + 6, (short) udpChecksum(b.array(), udpLength));
        return b.array();
    }

    private static int udpChecksum(byte[] packet, int udpLength) {
        // pseudo header: source address, destination address, zero, protocol, UDP length
        int pseudo = onesComplementSum(packet, 12, 8, 0) + PROTO_UDP + udpLength;
        int sum = onesComplementSum(packet, IPV4_HEADER, udpLength, pseudo);
        int checksum = ~sum & 0xffff;
        return checksum == 0 ? 0xffff : checksum; // 0 would mean "no checksum"
    }

    /** The folded 16-bit one's-complement sum of {@code length} bytes at {@code offset}, plus {@code initial}. */
    private static int onesComplementSum(byte[] data, int offset, int length, int initial) {
        long sum = initial & 0xffffffffL;
        int end = offset + length;
        for (int i = offset; i + 1 < end; i += 2) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        if ((length & 1) != 0) {
            sum += (data[end - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static byte[] fileHeader() {
        // Written big-endian with magic a1b2c3d4: readers detect the byte order from the magic.
        return ByteBuffer.allocate(24)
                .order(ByteOrder.BIG_ENDIAN)
                .putInt(0xa1b2c3d4)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0) // thiszone
                .putInt(0) // sigfigs
                .putInt(SNAPLEN)
                .putInt(LINKTYPE_RAW)
                .array();
    }

    private static byte[] recordHeader(int index, int length) {
        return ByteBuffer.allocate(16)
                .order(ByteOrder.BIG_ENDIAN)
                .putInt(1 + index / 1_000_000) // ts_sec
                .putInt(index % 1_000_000) // ts_usec
                .putInt(length) // incl_len
                .putInt(length) // orig_len
                .array();
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("not a UDP port: " + port);
        }
    }
}
