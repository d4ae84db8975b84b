package dev.rxrpc.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.endpoint.EndpointConfig;
import dev.rxrpc.endpoint.SimulationSupport;
import dev.rxrpc.test.InMemoryNetwork.Impairments;
import dev.rxrpc.test.Pcap;
import dev.rxrpc.test.SimApps;
import dev.rxrpc.test.SimApps.ClientCall;
import dev.rxrpc.test.Tshark;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What our encoders and our engine put on the wire, Wireshark's RX dissector reads without complaint. */
class EncoderDissectionTest extends SimulationSupport {

    @TempDir
    Path dir;

    static WireHeader h(PacketType t, int call, int seq, int flags) {
        return new WireHeader(0x80001234, 0x5678, call, seq, 7, t, flags, 0, 0, 0, 147);
    }

    static byte[] bytes(RxPacket p) {
        ByteBuf b = p.encode(Unpooled.buffer().alloc());
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    @Test
    void everyPacketTypeWeEncodeDissectsCleanly() throws Exception {
        List<byte[]> out = new ArrayList<>();
        int ci = PacketFlags.CLIENT_INITIATED;
        out.add(bytes(new DataPacket(
                h(PacketType.DATA, 1, 1, ci | PacketFlags.LAST_PACKET), Unpooled.wrappedBuffer(new byte[27]))));
        List<DataPacket> jumbo = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int f = ci | (i < 3 ? PacketFlags.JUMBO_PACKET : PacketFlags.LAST_PACKET);
            jumbo.add(new DataPacket(
                    h(PacketType.DATA, 1, 2 + i, f).withSubpacket(2 + i, 8 + i, f, 0),
                    Unpooled.wrappedBuffer(new byte[i < 3 ? 1412 : 100])));
        }
        ByteBuf j = Jumbogram.encode(jumbo, Unpooled.buffer().alloc());
        out.add(ByteBufUtil.getBytes(j));
        j.release();
        out.add(bytes(AckPacket.of(
                h(PacketType.ACK, 1, 0, PacketFlags.SLOW_START_OK),
                3,
                5,
                9,
                AckReason.REQUESTED,
                new byte[] {1, 0, 1},
                AckTrailer.of(65160, 1444, 255, 46))));
        out.add(bytes(AckPacket.of(
                h(PacketType.ACK, 1, 0, PacketFlags.REQUEST_ACK),
                1,
                0,
                0,
                AckReason.PING,
                new byte[0],
                AckTrailer.of(65160, 1444, 255, 46))));
        out.add(bytes(new BusyPacket(h(PacketType.BUSY, 2, 0, 0))));
        out.add(bytes(new AbortPacket(h(PacketType.ABORT, 1, 0, 0), -455)));
        out.add(bytes(new AckAllPacket(h(PacketType.ACKALL, 1, 0, ci))));
        out.add(bytes(ChallengePacket.v2(h(PacketType.CHALLENGE, 0, 0, 0), 0x639ce846, 0)));
        out.add(bytes(new ResponsePacket(h(PacketType.RESPONSE, 0, 0, ci), 2, 0, new byte[40], 213, new byte[154])));
        WireHeader dbg = h(PacketType.DEBUG, 101, 0, ci | PacketFlags.LAST_PACKET);
        WireHeader dbgReply = dbg.withFlags(PacketFlags.LAST_PACKET);
        out.add(bytes(DebugPacket.request(dbg, DebugPacket.GETSTATS, 0)));
        out.add(bytes(DebugPacket.reply(dbgReply, new DebugStats(1, 0, 5, 0, 1, 'S', 0, 0, 0, 9))));
        out.add(bytes(DebugPacket.reply(dbgReply, DebugConn.END)));
        out.add(bytes(DebugPacket.reply(dbgReply, DebugPeer.END)));
        out.add(bytes(DebugPacket.reply(dbgReply, DebugRxStats.empty())));
        out.add(bytes(DebugPacket.badType(dbgReply)));
        WireHeader ver = h(PacketType.VERSION, 101, 0, ci | PacketFlags.LAST_PACKET);
        out.add(bytes(new VersionPacket(ver, new byte[1])));
        out.add(bytes(VersionPacket.reply(ver.withFlags(PacketFlags.LAST_PACKET), "rxrpc-spring test")));

        List<Pcap.Frame> frames = new ArrayList<>();
        for (byte[] b : out) {
            boolean fromClient = (b[21] & PacketFlags.CLIENT_INITIATED) != 0;
            frames.add(fromClient ? new Pcap.Frame(40000, 7009, b) : new Pcap.Frame(7009, 40000, b));
        }
        Tshark.Result r = Tshark.analyze(Pcap.write(dir.resolve("encoders.pcap"), frames), "rx.type");
        assertThat(r.frames()).isEqualTo(out.size());
        assertThat(r.rxFrames()).isEqualTo(out.size());
        assertThat(r.malformedFrames()).isZero();
        assertThat(r.expertErrorFrames()).isZero();
    }

    @Test
    void aWholeSimulatedExchangeDissectsCleanly() throws Exception {
        Setup s = setup(3, new Impairments(0.02, 0.01, 1_000_000, 500_000, 65535), EndpointConfig.defaults());
        List<Pcap.Frame> frames = new ArrayList<>();
        s.net().tap = (from, datagram) -> frames.add(
                from.equals(SERVER)
                        ? new Pcap.Frame(7009, 40000, ByteBufUtil.getBytes(datagram))
                        : new Pcap.Frame(40000, 7009, ByteBufUtil.getBytes(datagram)));
        List<ClientCall> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(SimApps.call(
                    s.client(), loop, SERVER, SERVICE, SimApps.patternRequest(5000 * i, 200_000, i), 4096));
        }
        runUntil(() -> calls.stream().allMatch(ClientCall::isDone), 60_000);
        assertThat(frames.size()).isGreaterThan(100);
        Tshark.Result r = Tshark.analyze(Pcap.write(dir.resolve("sim.pcap"), frames), "rx.type");
        assertThat(r.rxFrames()).isEqualTo(frames.size());
        assertThat(r.malformedFrames()).isZero();
        assertThat(r.expertErrorFrames()).isZero();
    }
}
