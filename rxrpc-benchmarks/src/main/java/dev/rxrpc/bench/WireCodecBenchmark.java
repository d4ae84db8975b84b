package dev.rxrpc.bench;

import dev.rxrpc.wire.AckPacket;
import dev.rxrpc.wire.AckReason;
import dev.rxrpc.wire.AckTrailer;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.Jumbogram;
import dev.rxrpc.wire.MalformedPacketException;
import dev.rxrpc.wire.PacketCodec;
import dev.rxrpc.wire.PacketFlags;
import dev.rxrpc.wire.PacketType;
import dev.rxrpc.wire.RxPacket;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The wire codec on the hot path: decoding received datagrams (DATA, jumbograms, ACKs) and encoding DATA,
 * jumbograms and ACKs for sending.
 *
 * <p>Inputs are built once per trial with the codec's own encoders into pooled direct buffers, as the UDP receive
 * path hands them over. A decode op is what the receive path does per datagram: {@link PacketCodec#decode} into a
 * reused list, then releasing every {@link DataPacket} (its retained slice of the datagram). An encode op writes
 * into a reused pooled direct buffer that is cleared first, so it measures the codec, not the allocator.
 *
 * <p>Netty's leak detector is off in the forked JVM: at its default (sampling) level it wraps a random 1 in 128
 * allocations, and a wrapped datagram would make every slice of it a tracked buffer for the whole trial.
 *
 * <pre>java -jar rxrpc-benchmarks/target/benchmarks.jar WireCodec -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Thread)
public class WireCodecBenchmark {

    private static final int EPOCH = 0x5f3c1a2b;
    private static final int CID = 0x2a4c0004;
    private static final int SERVICE = 52;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final List<RxPacket> out = new ArrayList<>(DataPacket.MAX_JUMBO_SUBPACKETS);
    private final List<ByteBuf> owned = new ArrayList<>();

    // Received datagrams.
    private ByteBuf data1444;
    private ByteBuf jumbo4;
    private ByteBuf jumbo46;
    private ByteBuf ack255;
    private ByteBuf ack1;

    // Packets to send, and the reused send buffer.
    private DataPacket dataPacket;
    private List<DataPacket> jumboPackets;
    private AckPacket ackPacket255;
    private AckPacket ackPacket1;
    private ByteBuf sendBuf;

    @Setup(Level.Trial)
    public void setUp() throws MalformedPacketException {
        dataPacket = dataPackets(100, 1, DataPacket.MAX_PLAIN_PAYLOAD).get(0);
        data1444 = own(encode(List.of(dataPacket)));
        check(data1444, 1444, 1);

        jumboPackets = dataPackets(200, 4, DataPacket.JUMBO_DATA_SIZE);
        jumbo4 = own(encode(jumboPackets));
        check(jumbo4, 5688, 4);

        List<DataPacket> packets46 = dataPackets(300, 46, DataPacket.JUMBO_DATA_SIZE);
        jumbo46 = own(encode(packets46));
        packets46.forEach(DataPacket::release);
        check(jumbo46, 65160, 46);

        byte[] acks = new byte[AckPacket.MAX_ACKS];
        for (int i = 0; i < acks.length; i++) {
            acks[i] = (i % 7 == 3) ? AckPacket.ACK_TYPE_NACK : AckPacket.ACK_TYPE_ACK;
        }
        AckTrailer trailer = AckTrailer.of(1444, 1444, 255, 4);
        ackPacket255 =
                AckPacket.of(header(PacketType.ACK, 0, 7001, 0), 1000, 1254, 9001, AckReason.DELAY, acks, trailer);
        ackPacket1 = AckPacket.of(
                header(PacketType.ACK, 0, 7002, 0),
                1000,
                1000,
                9002,
                AckReason.REQUESTED,
                new byte[] {AckPacket.ACK_TYPE_ACK},
                trailer);
        ack255 = own(encode(ackPacket255));
        check(ack255, 28 + 18 + 255 + 3 + 16, 1);
        ack1 = own(encode(ackPacket1));
        check(ack1, 28 + 18 + 1 + 3 + 16, 1);

        sendBuf = own(alloc.directBuffer(Jumbogram.size(4, DataPacket.JUMBO_DATA_SIZE)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        dataPacket.release();
        jumboPackets.forEach(DataPacket::release);
        owned.forEach(ByteBuf::release);
    }

    // ---- decode: one received datagram -> packets, then released as the call would after consuming them

    @Benchmark
    public void decodeData1444(Blackhole bh) throws MalformedPacketException {
        decode(data1444, bh);
    }

    @Benchmark
    public void decodeJumbo4(Blackhole bh) throws MalformedPacketException {
        decode(jumbo4, bh);
    }

    @Benchmark
    public void decodeJumbo46(Blackhole bh) throws MalformedPacketException {
        decode(jumbo46, bh);
    }

    @Benchmark
    public void decodeAck255(Blackhole bh) throws MalformedPacketException {
        decode(ack255, bh);
    }

    @Benchmark
    public void decodeAck1(Blackhole bh) throws MalformedPacketException {
        decode(ack1, bh);
    }

    private void decode(ByteBuf datagram, Blackhole bh) throws MalformedPacketException {
        List<RxPacket> packets = out;
        bh.consume(PacketCodec.decode(datagram, packets));
        for (int i = 0, n = packets.size(); i < n; i++) {
            RxPacket p = packets.get(i);
            bh.consume(p);
            ReferenceCountUtil.release(p);
        }
        packets.clear();
    }

    // ---- encode: into a reused pooled direct buffer, cleared each time

    @Benchmark
    public ByteBuf encodeData1444() {
        ByteBuf buf = sendBuf.clear();
        dataPacket.encodeTo(buf);
        return buf;
    }

    @Benchmark
    public ByteBuf encodeJumbo4() {
        ByteBuf buf = sendBuf.clear();
        Jumbogram.encodeTo(jumboPackets, buf);
        return buf;
    }

    @Benchmark
    public ByteBuf encodeAck255() {
        ByteBuf buf = sendBuf.clear();
        ackPacket255.encodeTo(buf);
        return buf;
    }

    @Benchmark
    public ByteBuf encodeAck1() {
        ByteBuf buf = sendBuf.clear();
        ackPacket1.encodeTo(buf);
        return buf;
    }

    // ---- input construction

    private static WireHeader header(PacketType type, int seq, int serial, int flags) {
        return new WireHeader(EPOCH, CID, 3, seq, serial, type, flags, 0, 0, 0, SERVICE);
    }

    /** {@code n} consecutive DATA packets from {@code seq}; all but the last carry JUMBO and 1412 bytes. */
    private List<DataPacket> dataPackets(int seq, int n, int lastLength) {
        List<DataPacket> packets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean last = i == n - 1;
            int flags = PacketFlags.CLIENT_INITIATED | (last ? PacketFlags.REQUEST_ACK : PacketFlags.JUMBO_PACKET);
            int len = last ? lastLength : DataPacket.JUMBO_DATA_SIZE;
            ByteBuf payload = alloc.directBuffer(len);
            for (int b = 0; b < len; b++) {
                payload.writeByte(b * 31 + i);
            }
            packets.add(new DataPacket(header(PacketType.DATA, seq + i, 5000 + seq + i, flags), payload));
        }
        return packets;
    }

    private ByteBuf encode(List<DataPacket> packets) {
        ByteBuf buf = alloc.directBuffer(
                Jumbogram.size(packets.size(), packets.get(packets.size() - 1).length()));
        Jumbogram.encodeTo(packets, buf);
        return buf;
    }

    private ByteBuf encode(RxPacket packet) {
        ByteBuf buf = alloc.directBuffer(packet.encodedSize());
        packet.encodeTo(buf);
        return buf;
    }

    private ByteBuf own(ByteBuf buf) {
        owned.add(buf);
        return buf;
    }

    /** Fails the trial early if an input is not what the benchmark name says. */
    private void check(ByteBuf datagram, int size, int packets) throws MalformedPacketException {
        if (!datagram.isDirect() || datagram.readableBytes() != size) {
            throw new IllegalStateException(
                    "expected a direct " + size + "-byte datagram, got " + datagram.readableBytes() + " bytes");
        }
        List<RxPacket> decoded = PacketCodec.decodeAll(datagram);
        try {
            if (decoded.size() != packets) {
                throw new IllegalStateException("expected " + packets + " packets, got " + decoded.size());
            }
        } finally {
            PacketCodec.releaseAll(decoded);
        }
    }
}
