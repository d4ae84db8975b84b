package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;

/**
 * Reply to {@link DebugPacket#GETSTATS} (OpenAFS {@code struct rx_debugStats}, 56 bytes). The {@code version} byte
 * tells rxdebug which later queries and fields exist; 'S' is the newest (GETPEER, nWaited, nPackets all present).
 *
 * @param nFreePackets free packet buffers
 * @param packetReclaims packet buffers reclaimed
 * @param callsExecuted calls run since start
 * @param waitingForPackets 1 if some call waits for a packet buffer
 * @param usedFds file descriptors in use
 * @param version capability letter
 * @param nWaiting calls waiting for a thread
 * @param idleThreads threads waiting for a call
 * @param nWaited calls that have ever waited for a thread
 * @param nPackets packet buffers allocated in all
 */
public record DebugStats(
        int nFreePackets,
        int packetReclaims,
        int callsExecuted,
        int waitingForPackets,
        int usedFds,
        int version,
        int nWaiting,
        int idleThreads,
        int nWaited,
        int nPackets)
        implements DebugPacket.DebugStruct {

    /** Bytes on the wire. */
    public static final int SIZE = 56;
    /** The capability letter of OpenAFS 1.8: every query we answer exists. */
    public static final int VERSION_S = 'S';

    /** Reads the struct at the reader index, without moving it. */
    public static DebugStats decode(ByteBuf in) throws MalformedPacketException {
        DebugPacket.requireSize(in, SIZE, "rx_debugStats");
        int r = in.readerIndex();
        return new DebugStats(
                in.getInt(r),
                in.getInt(r + 4),
                in.getInt(r + 8),
                in.getUnsignedByte(r + 12),
                in.getUnsignedByte(r + 13),
                in.getUnsignedByte(r + 14),
                in.getInt(r + 16),
                in.getInt(r + 20),
                in.getInt(r + 24),
                in.getInt(r + 28));
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuf out) {
        out.writeInt(nFreePackets);
        out.writeInt(packetReclaims);
        out.writeInt(callsExecuted);
        out.writeByte(waitingForPackets);
        out.writeByte(usedFds);
        out.writeByte(version);
        out.writeByte(0);
        out.writeInt(nWaiting);
        out.writeInt(idleThreads);
        out.writeInt(nWaited);
        out.writeInt(nPackets);
        out.writeZero(6 * 4);
    }
}
