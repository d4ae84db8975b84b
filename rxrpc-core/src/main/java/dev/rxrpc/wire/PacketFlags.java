package dev.rxrpc.wire;

/**
 * Bits of the header flags byte (offset 21). Plain int constants: flags are combined and tested on every packet.
 * Meanings from the Rx specification and OpenAFS {@code rx.h}; see {@code protocol.md} section 1.3.
 */
public final class PacketFlags {

    /** Set on every packet sent by the client end of the connection; a reply clears it. */
    public static final int CLIENT_INITIATED = 0x01;
    /** Asks the receiver for an immediate ACK. */
    public static final int REQUEST_ACK = 0x02;
    /** The last DATA packet of this direction of the call. */
    public static final int LAST_PACKET = 0x04;
    /** Historical "more packets follow"; read by nobody, still set by OpenAFS 1.8. */
    public static final int MORE_PACKETS = 0x08;
    /** Reserved; Wireshark calls it FREE_PACKET. */
    public static final int RESERVED_10 = 0x10;
    /** On DATA: another subpacket follows in this jumbogram. */
    public static final int JUMBO_PACKET = 0x20;
    /** On ACK: the sender supports slow start (same bit as {@link #JUMBO_PACKET}). */
    public static final int SLOW_START_OK = 0x20;

    private PacketFlags() {}

    /** Whether {@code flags} has every bit of {@code mask}. */
    public static boolean has(int flags, int mask) {
        return (flags & mask) == mask;
    }

    /** Human-readable form for logs, e.g. {@code CLIENT_INITIATED|LAST_PACKET}. */
    public static String toString(int flags) {
        if (flags == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        append(sb, flags, CLIENT_INITIATED, "CLIENT_INITIATED");
        append(sb, flags, REQUEST_ACK, "REQUEST_ACK");
        append(sb, flags, LAST_PACKET, "LAST_PACKET");
        append(sb, flags, MORE_PACKETS, "MORE_PACKETS");
        append(sb, flags, RESERVED_10, "0x10");
        append(sb, flags, JUMBO_PACKET, "JUMBO|SLOW_START_OK");
        int rest = flags & 0xc0;
        if (rest != 0) {
            append(sb, rest, rest, "0x" + Integer.toHexString(rest));
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, int flags, int bit, String name) {
        if ((flags & bit) != 0) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(name);
        }
    }
}
