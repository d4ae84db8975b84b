package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;

/**
 * The 28-byte Rx header that starts every packet, all fields big-endian (Rx specification; Linux
 * {@code struct rxrpc_wire_header}; OpenAFS {@code struct rx_header}).
 *
 * <p>32-bit fields are held in {@code int}s and are unsigned on the wire: compare epochs, cids and call numbers for
 * equality only, and seq and serial with {@link dev.rxrpc.internal.SeqMath}. 8- and 16-bit fields are held
 * zero-extended. Immutable and thread-safe.
 *
 * @param epoch client start time or random; bit 31 set means the connection is keyed by (epoch, cid) alone
 * @param cid connection id in the high 30 bits, channel in the low 2
 * @param callNumber per channel, from 1; 0 marks a connection-level packet
 * @param seq DATA packet number within one direction of a call, from 1; 0 on other types
 * @param serial per connection, incremented for every packet sent, retransmissions included
 * @param type packet type
 * @param flags {@link PacketFlags} bits
 * @param userStatus application status byte; bit 0 on a first DATA packet requests a service upgrade
 * @param securityIndex security class: 0 null, 2 rxkad, ...
 * @param checksum 16-bit header checksum set by the security class (rxkad), 0 when unused
 * @param serviceId service the connection is bound to
 */
public record WireHeader(
        int epoch,
        int cid,
        int callNumber,
        int seq,
        int serial,
        PacketType type,
        int flags,
        int userStatus,
        int securityIndex,
        int checksum,
        int serviceId) {

    /** Size of the header on the wire. */
    public static final int SIZE = 28;

    /** Epoch bit 31: the connection is identified by (epoch, cid) only, so the peer's address may change. */
    public static final int EPOCH_IS_KEY_ONLY = 0x80000000;

    /** Number of call channels per connection ({@code RX_MAXCALLS}). */
    public static final int CHANNELS = 4;

    /**
     * userStatus of a client's first DATA packet on a new connection that asks the server to move the connection to
     * its upgraded service (AuriStor; Linux's RXRPC_USERSTATUS_SERVICE_UPGRADE).
     */
    public static final int USERSTATUS_SERVICE_UPGRADE = 1;

    /** Mask of the channel bits of a cid. */
    public static final int CHANNEL_MASK = CHANNELS - 1;

    public WireHeader {
        if (type == null) {
            throw new NullPointerException("type");
        }
        flags &= 0xff;
        userStatus &= 0xff;
        securityIndex &= 0xff;
        checksum &= 0xffff;
        serviceId &= 0xffff;
    }

    /**
     * Reads a header at the buffer's reader index without moving it.
     *
     * @throws MalformedPacketException {@link MalformedPacketException.Reason#SHORT_HEADER} if fewer than 28 bytes
     *     are readable
     */
    public static WireHeader decode(ByteBuf buf) throws MalformedPacketException {
        int r = buf.readerIndex();
        if (buf.readableBytes() < SIZE) {
            throw new MalformedPacketException(
                    MalformedPacketException.Reason.SHORT_HEADER, buf.readableBytes() + " bytes");
        }
        return new WireHeader(
                buf.getInt(r),
                buf.getInt(r + 4),
                buf.getInt(r + 8),
                buf.getInt(r + 12),
                buf.getInt(r + 16),
                PacketType.valueOf(buf.getUnsignedByte(r + 20)),
                buf.getUnsignedByte(r + 21),
                buf.getUnsignedByte(r + 22),
                buf.getUnsignedByte(r + 23),
                buf.getUnsignedShort(r + 24),
                buf.getUnsignedShort(r + 26));
    }

    /** Appends the 28 header bytes at the writer index. */
    public void encode(ByteBuf out) {
        out.ensureWritable(SIZE);
        out.writeInt(epoch);
        out.writeInt(cid);
        out.writeInt(callNumber);
        out.writeInt(seq);
        out.writeInt(serial);
        out.writeByte(type.code());
        out.writeByte(flags);
        out.writeByte(userStatus);
        out.writeByte(securityIndex);
        out.writeShort(checksum);
        out.writeShort(serviceId);
    }

    /** The call channel, 0..3. */
    public int channel() {
        return cid & CHANNEL_MASK;
    }

    /** The cid with the channel bits cleared: identifies the connection. */
    public int connectionId() {
        return cid & ~CHANNEL_MASK;
    }

    /** Whether the packet was sent by the client end of its connection. */
    public boolean isClientInitiated() {
        return (flags & PacketFlags.CLIENT_INITIATED) != 0;
    }

    /** Whether the flags contain every bit of {@code mask}. */
    public boolean hasFlags(int mask) {
        return (flags & mask) == mask;
    }

    /** Whether the epoch says the connection is keyed by (epoch, cid) alone. */
    public boolean epochIsKeyOnly() {
        return (epoch & EPOCH_IS_KEY_ONLY) != 0;
    }

    /** A copy with another type. */
    public WireHeader withType(PacketType newType) {
        return new WireHeader(
                epoch, cid, callNumber, seq, serial, newType, flags, userStatus, securityIndex, checksum, serviceId);
    }

    /** A copy with other seq, serial, flags and checksum: a jumbogram subpacket's header, or a retransmission. */
    public WireHeader withSubpacket(int newSeq, int newSerial, int newFlags, int newChecksum) {
        return new WireHeader(
                epoch,
                cid,
                callNumber,
                newSeq,
                newSerial,
                type,
                newFlags,
                userStatus,
                securityIndex,
                newChecksum,
                serviceId);
    }

    /** A copy with other flags. */
    public WireHeader withFlags(int newFlags) {
        return new WireHeader(
                epoch, cid, callNumber, seq, serial, type, newFlags, userStatus, securityIndex, checksum, serviceId);
    }

    /** A copy with another serial. */
    public WireHeader withSerial(int newSerial) {
        return new WireHeader(
                epoch, cid, callNumber, seq, newSerial, type, flags, userStatus, securityIndex, checksum, serviceId);
    }

    /** A copy with another checksum. */
    public WireHeader withChecksum(int newChecksum) {
        return new WireHeader(
                epoch, cid, callNumber, seq, serial, type, flags, userStatus, securityIndex, newChecksum, serviceId);
    }

    @Override
    public String toString() {
        return "epoch=" + Integer.toUnsignedString(epoch)
                + " cid=0x" + Integer.toHexString(cid)
                + " call=" + Integer.toUnsignedString(callNumber)
                + " seq=" + Integer.toUnsignedString(seq)
                + " serial=" + Integer.toUnsignedString(serial)
                + " type=" + type
                + " flags=" + PacketFlags.toString(flags)
                + " userStatus=" + userStatus
                + " securityIndex=" + securityIndex
                + " cksum=" + checksum
                + " serviceId=" + serviceId;
    }
}
