package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * Splitting and building jumbograms: several consecutive DATA packets of one call in one datagram.
 *
 * <p>Layout (Rx specification; Linux {@code rxrpc_jumbo_header}; OpenAFS {@code rxi_SplitJumboPacket}): the
 * 28-byte header of subpacket 0, then for every subpacket but the last exactly 1412 data bytes followed by a 4-byte
 * jumbo header (flags, pad, checksum) that describes the <em>next</em> subpacket, then the last subpacket's data.
 * Subpacket {@code i} inherits the header with {@code seq + i} and {@code serial + i}. Every subpacket but the last
 * carries {@link PacketFlags#JUMBO_PACKET}.
 */
public final class Jumbogram {

    private Jumbogram() {}

    /**
     * Splits a DATA datagram into its subpackets without copying: each subpacket's payload is a retained slice of
     * {@code datagram}. A datagram without the JUMBO flag yields one packet. The caller keeps its own reference to
     * {@code datagram} and owns the appended packets. On failure nothing is appended and no reference is leaked.
     *
     * @param header the datagram's decoded header (type DATA)
     * @param datagram the whole datagram, header included, from its reader index
     * @param out receives the subpackets in seq order
     * @return number of packets appended
     */
    public static int split(WireHeader header, ByteBuf datagram, List<? super DataPacket> out)
            throws MalformedPacketException {
        int start = datagram.readerIndex() + WireHeader.SIZE;
        int end = datagram.writerIndex();
        if (!header.hasFlags(PacketFlags.JUMBO_PACKET)) {
            out.add(new DataPacket(header, datagram.retainedSlice(start, end - start)));
            return 1;
        }
        // Validate the whole layout before slicing anything, so a bad datagram costs no reference counting.
        int count = 1;
        int offset = start;
        int flags = header.flags();
        while ((flags & PacketFlags.JUMBO_PACKET) != 0) {
            if ((flags & PacketFlags.LAST_PACKET) != 0) {
                throw new MalformedPacketException(
                        MalformedPacketException.Reason.BAD_JUMBO_LAYOUT,
                        "subpacket " + (count - 1) + " has both JUMBO and LAST");
            }
            if (end - offset < DataPacket.JUMBO_DATA_SIZE + DataPacket.JUMBO_HEADER_SIZE) {
                throw new MalformedPacketException(
                        MalformedPacketException.Reason.BAD_JUMBO_LAYOUT,
                        "non-terminal subpacket " + (count - 1) + " has only " + (end - offset) + " bytes");
            }
            if (count == DataPacket.MAX_JUMBO_SUBPACKETS) {
                throw new MalformedPacketException(
                        MalformedPacketException.Reason.BAD_JUMBO_LAYOUT,
                        "more than " + DataPacket.MAX_JUMBO_SUBPACKETS + " subpackets");
            }
            offset += DataPacket.JUMBO_DATA_SIZE;
            flags = datagram.getUnsignedByte(offset);
            offset += DataPacket.JUMBO_HEADER_SIZE;
            count++;
        }
        if (header.seq() + count - 1 == 0 || Integer.compareUnsigned(header.seq(), header.seq() + count - 1) > 0) {
            // A subpacket's seq would wrap through 0, which no DATA packet may carry.
            throw new MalformedPacketException(
                    MalformedPacketException.Reason.ZERO_SEQ, "jumbogram seq wraps through 0");
        }
        offset = start;
        flags = header.flags();
        int checksum = header.checksum();
        for (int i = 0; i < count; i++) {
            boolean last = i == count - 1;
            int len = last ? end - offset : DataPacket.JUMBO_DATA_SIZE;
            WireHeader h =
                    i == 0 ? header : header.withSubpacket(header.seq() + i, header.serial() + i, flags, checksum);
            out.add(new DataPacket(h, datagram.retainedSlice(offset, len)));
            offset += len;
            if (!last) {
                flags = datagram.getUnsignedByte(offset);
                checksum = datagram.getUnsignedShort(offset + 2);
                offset += DataPacket.JUMBO_HEADER_SIZE;
            }
        }
        return count;
    }

    /** Size in bytes of a jumbogram of {@code n} subpackets whose last carries {@code lastLength} bytes. */
    public static int size(int n, int lastLength) {
        return WireHeader.SIZE + (n - 1) * (DataPacket.JUMBO_DATA_SIZE + DataPacket.JUMBO_HEADER_SIZE) + lastLength;
    }

    /**
     * Writes consecutive packets of one call as one jumbogram at {@code out}'s writer index. Packets keep their
     * ownership (nothing is released). Rejects inputs that would not split back into the same packets.
     *
     * @throws IllegalArgumentException if the packets are not consecutive in seq and serial, belong to different
     *     calls, a non-terminal one lacks the JUMBO flag or does not carry exactly 1412 bytes, or there are too many
     */
    public static void encodeTo(List<DataPacket> packets, ByteBuf out) {
        validate(packets);
        DataPacket first = packets.get(0);
        first.header().encode(out);
        for (int i = 0; i < packets.size(); i++) {
            DataPacket p = packets.get(i);
            out.writeBytes(p.payload(), p.payload().readerIndex(), p.payload().readableBytes());
            if (i + 1 < packets.size()) {
                WireHeader next = packets.get(i + 1).header();
                out.writeByte(next.flags());
                out.writeByte(0);
                out.writeShort(next.checksum());
            }
        }
    }

    /** As {@link #encodeTo(List, ByteBuf)}, into a new buffer the caller owns. */
    public static ByteBuf encode(List<DataPacket> packets, ByteBufAllocator alloc) {
        validate(packets);
        int n = packets.size();
        ByteBuf out = alloc.buffer(size(n, packets.get(n - 1).length()));
        try {
            encodeTo(packets, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static void validate(List<DataPacket> packets) {
        int n = packets.size();
        if (n == 0 || n > DataPacket.MAX_JUMBO_SUBPACKETS) {
            throw new IllegalArgumentException("a jumbogram holds 1.." + DataPacket.MAX_JUMBO_SUBPACKETS + ": " + n);
        }
        WireHeader h0 = packets.get(0).header();
        for (int i = 0; i < n; i++) {
            WireHeader h = packets.get(i).header();
            boolean last = i == n - 1;
            if (h.epoch() != h0.epoch()
                    || h.cid() != h0.cid()
                    || h.callNumber() != h0.callNumber()
                    || h.serviceId() != h0.serviceId()
                    || h.securityIndex() != h0.securityIndex()
                    || h.userStatus() != h0.userStatus()) {
                throw new IllegalArgumentException("subpacket " + i + " belongs to another call");
            }
            if (h.seq() != h0.seq() + i || h.serial() != h0.serial() + i) {
                throw new IllegalArgumentException("subpacket " + i + " is not consecutive in seq and serial");
            }
            if (!last
                    && (!h.hasFlags(PacketFlags.JUMBO_PACKET)
                            || packets.get(i).length() != DataPacket.JUMBO_DATA_SIZE)) {
                throw new IllegalArgumentException("non-terminal subpacket " + i + " needs JUMBO and 1412 bytes");
            }
            if (last && h.hasFlags(PacketFlags.JUMBO_PACKET)) {
                throw new IllegalArgumentException("the last subpacket must not carry JUMBO");
            }
        }
    }
}
