package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * ACK: the receiver's view of one direction of a call (Rx specification; OpenAFS {@code struct rx_ackPacket}; Linux
 * {@code struct rxrpc_ackpacket}). Layout after the header: bufferSpace u16, maxSkew u16, firstPacket u32,
 * previousPacket u32, serial u32, reason u8, nAcks u8, nAcks soft-ACK bytes, 3 pad bytes, then an optional
 * {@link AckTrailer}.
 *
 * <p>Every seq before {@code firstPacket} is hard-ACKed (consumed; the sender may free it). {@code acks[i]} is the
 * state of seq {@code firstPacket + i}: {@link #ACK_TYPE_ACK} (held, but may still be discarded) or
 * {@link #ACK_TYPE_NACK} (missing). The pad bytes are always written as zeros: OpenAFS once leaked memory through
 * them (CVE-2015-7762), and they are ignored on receipt.
 *
 * @param header packet header, type {@link PacketType#ACK}
 * @param bufferSpace historical; sent as 0
 * @param maxSkew historical; sent as 0
 * @param firstPacket first seq the soft-ACK table covers; all before it are hard-ACKed
 * @param previousPacket OpenAFS: previous seq received; Linux: highest seq received
 * @param serial serial of the packet that caused this ACK (names the exact transmission, for RTT), or 0
 * @param reason why this ACK was sent
 * @param acks soft-ACK table, at most 255 entries; owned by this record (not copied defensively on the hot path)
 * @param trailer the optional trailer, or null when the peer sent none
 * @param extraBytes bytes after the trailer (a padded PING used as an MTU probe); written back as zeros
 */
public record AckPacket(
        WireHeader header,
        int bufferSpace,
        int maxSkew,
        int firstPacket,
        int previousPacket,
        int serial,
        AckReason reason,
        byte[] acks,
        AckTrailer trailer,
        int extraBytes)
        implements RxPacket {

    /** Soft-ACK entry: the packet is missing. */
    public static final byte ACK_TYPE_NACK = 0;
    /** Soft-ACK entry: the packet was received (soft: it may still be dropped). */
    public static final byte ACK_TYPE_ACK = 1;
    /** The soft-ACK table's capacity ({@code RX_MAXACKS}). */
    public static final int MAX_ACKS = 255;
    /** Fixed body bytes before the soft-ACK table. */
    public static final int FIXED_BODY_SIZE = 18;
    /** The historical alignment pad between the table and the trailer. */
    public static final int PAD_SIZE = 3;

    public AckPacket {
        PacketCodec.requireType(header, PacketType.ACK);
        if (acks.length > MAX_ACKS) {
            throw new IllegalArgumentException("at most " + MAX_ACKS + " soft-ACK entries: " + acks.length);
        }
        if (reason == null) {
            throw new NullPointerException("reason");
        }
        if (extraBytes < 0 || (extraBytes > 0 && (trailer == null || trailer.words() != 4))) {
            throw new IllegalArgumentException("extra bytes only follow a full trailer");
        }
        bufferSpace &= 0xffff;
        maxSkew &= 0xffff;
    }

    /** An ACK as we send it: historical fields zero, a full trailer, no padding. */
    public static AckPacket of(
            WireHeader header,
            int firstPacket,
            int previousPacket,
            int serial,
            AckReason reason,
            byte[] acks,
            AckTrailer trailer) {
        return new AckPacket(header, 0, 0, firstPacket, previousPacket, serial, reason, acks, trailer, 0);
    }

    static AckPacket decode(WireHeader header, ByteBuf body) throws MalformedPacketException {
        int r = body.readerIndex();
        int len = body.readableBytes();
        if (len < FIXED_BODY_SIZE) {
            throw new MalformedPacketException(MalformedPacketException.Reason.TRUNCATED_ACK, len + " body bytes");
        }
        int nAcks = body.getUnsignedByte(r + 17);
        if (len < FIXED_BODY_SIZE + nAcks) {
            throw new MalformedPacketException(
                    MalformedPacketException.Reason.ACK_NACKS_PAST_END,
                    "nAcks " + nAcks + " but " + (len - FIXED_BODY_SIZE) + " table bytes");
        }
        byte[] acks = new byte[nAcks];
        body.getBytes(r + FIXED_BODY_SIZE, acks);
        int rest = len - FIXED_BODY_SIZE - nAcks;
        AckTrailer trailer = null;
        int extra = 0;
        // Without the pad there is no trailer; very old peers end here, and a short pad is tolerated likewise.
        if (rest > PAD_SIZE) {
            int t = r + FIXED_BODY_SIZE + nAcks + PAD_SIZE;
            int trailerBytes = rest - PAD_SIZE;
            int words = Math.min(4, trailerBytes / 4);
            if (words < 4 && trailerBytes % 4 != 0) {
                throw new MalformedPacketException(
                        MalformedPacketException.Reason.TRUNCATED_ACK_TRAILER, trailerBytes + " trailer bytes");
            }
            trailer = new AckTrailer(
                    body.getInt(t),
                    words >= 2 ? body.getInt(t + 4) : 0,
                    words >= 3 ? body.getInt(t + 8) : 0,
                    words >= 4 ? body.getInt(t + 12) : 0,
                    words);
            extra = trailerBytes - words * 4;
        }
        return new AckPacket(
                header,
                body.getUnsignedShort(r),
                body.getUnsignedShort(r + 2),
                body.getInt(r + 4),
                body.getInt(r + 8),
                body.getInt(r + 12),
                AckReason.valueOf(body.getUnsignedByte(r + 16)),
                acks,
                trailer,
                extra);
    }

    /** Number of soft-ACK entries. */
    public int nAcks() {
        return acks.length;
    }

    /** Whether {@code seq} (within the table) is soft-ACKed. */
    public boolean isSoftAcked(int seq) {
        int i = seq - firstPacket;
        return i >= 0 && i < acks.length && (acks[i] & 1) != 0;
    }

    /** Whether the ACK is a PING that must be answered with a PING_RESPONSE. */
    public boolean isPing() {
        return reason.equals(AckReason.PING);
    }

    @Override
    public int encodedSize() {
        return WireHeader.SIZE
                + FIXED_BODY_SIZE
                + acks.length
                + PAD_SIZE
                + (trailer == null ? 0 : trailer.size())
                + extraBytes;
    }

    @Override
    public void encodeTo(ByteBuf out) {
        out.ensureWritable(encodedSize());
        header.encode(out);
        out.writeShort(bufferSpace);
        out.writeShort(maxSkew);
        out.writeInt(firstPacket);
        out.writeInt(previousPacket);
        out.writeInt(serial);
        out.writeByte(reason.code());
        out.writeByte(acks.length);
        out.writeBytes(acks);
        out.writeZero(PAD_SIZE);
        if (trailer != null) {
            out.writeInt(trailer.maxMtu());
            if (trailer.words() >= 2) {
                out.writeInt(trailer.ifMtu());
            }
            if (trailer.words() >= 3) {
                out.writeInt(trailer.rwind());
            }
            if (trailer.words() >= 4) {
                out.writeInt(trailer.jumboMax());
            }
            out.writeZero(extraBytes);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AckPacket a
                && header.equals(a.header)
                && bufferSpace == a.bufferSpace
                && maxSkew == a.maxSkew
                && firstPacket == a.firstPacket
                && previousPacket == a.previousPacket
                && serial == a.serial
                && reason.equals(a.reason)
                && Arrays.equals(acks, a.acks)
                && java.util.Objects.equals(trailer, a.trailer)
                && extraBytes == a.extraBytes;
    }

    @Override
    public int hashCode() {
        return header.hashCode() * 31 + Arrays.hashCode(acks) + firstPacket;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ACK[").append(header);
        sb.append(" first=").append(Integer.toUnsignedString(firstPacket));
        sb.append(" prev=").append(Integer.toUnsignedString(previousPacket));
        sb.append(" serial=").append(Integer.toUnsignedString(serial));
        sb.append(" reason=").append(reason).append(" acks=");
        for (byte b : acks) {
            sb.append((b & 1) != 0 ? 'A' : '-');
        }
        if (trailer != null) {
            sb.append(' ').append(trailer);
        }
        return sb.append(']').toString();
    }
}
