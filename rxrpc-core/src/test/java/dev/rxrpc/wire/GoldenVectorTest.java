package dev.rxrpc.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every captured OpenAFS 1.8.9 packet decodes to the fields its comment lines give and re-encodes to the same bytes.
 */
class GoldenVectorTest {

    private static final Pattern KV = Pattern.compile("([A-Za-z_/]+)(?:\\([^)]*\\))?=(\\S+)");

    static Stream<String> vectors() throws IOException {
        try (InputStream in = GoldenVectorTest.class.getResourceAsStream("/golden/SPEC.tsv")) {
            String spec = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> names = new ArrayList<>();
            for (String line : spec.split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.split("\t")[0]);
                }
            }
            assertThat(names).hasSizeGreaterThanOrEqualTo(48);
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesToTheCapturedFieldsAndReencodesByteForByte(String name) throws Exception {
        Vector v = load(name);
        ByteBuf datagram = Unpooled.wrappedBuffer(v.payload);
        List<RxPacket> packets = PacketCodec.decodeAll(datagram);
        try {
            WireHeader h = packets.get(0).header();
            Map<String, String> hdr = v.fields("# rx header:");
            assertThat(Integer.toUnsignedString(h.epoch())).isEqualTo(hdr.get("epoch"));
            assertThat(h.cid())
                    .isEqualTo(Integer.parseUnsignedInt(hdr.get("cid").substring(2), 16));
            assertThat(Integer.toUnsignedString(h.callNumber())).isEqualTo(hdr.get("call"));
            assertThat(Integer.toUnsignedString(h.seq())).isEqualTo(hdr.get("seq"));
            assertThat(Integer.toUnsignedString(h.serial())).isEqualTo(hdr.get("serial"));
            assertThat(h.type().code()).isEqualTo(Integer.parseInt(hdr.get("type")));
            assertThat(h.type().isKnown()).isTrue();
            assertThat(h.flags()).isEqualTo(Integer.parseInt(hdr.get("flags").substring(2), 16));
            assertThat(h.userStatus()).isEqualTo(Integer.parseInt(hdr.get("userStatus")));
            assertThat(h.securityIndex()).isEqualTo(Integer.parseInt(hdr.get("securityIndex")));
            assertThat(h.checksum()).isEqualTo(Integer.parseInt(hdr.get("spare/cksum")));
            assertThat(h.serviceId()).isEqualTo(Integer.parseInt(hdr.get("serviceId")));

            checkBody(v, packets);

            ByteBuf reencoded = reencode(packets);
            try {
                assertThat(ByteBufUtil.hexDump(reencoded))
                        .isEqualTo(HexFormat.of().formatHex(v.payload));
            } finally {
                reencoded.release();
            }
        } finally {
            PacketCodec.releaseAll(packets);
            assertThat(datagram.release()).isTrue();
        }
    }

    private static ByteBuf reencode(List<RxPacket> packets) {
        if (packets.get(0) instanceof DataPacket) {
            List<DataPacket> data = new ArrayList<>();
            packets.forEach(p -> data.add((DataPacket) p));
            return Jumbogram.encode(data, Unpooled.buffer().alloc());
        }
        assertThat(packets).hasSize(1);
        return packets.get(0).encode(Unpooled.buffer().alloc());
    }

    private static void checkBody(Vector v, List<RxPacket> packets) {
        RxPacket p = packets.get(0);
        Map<String, String> body = v.fields("# body:");
        if (p instanceof AckPacket ack) {
            assertThat(ack.bufferSpace()).isEqualTo(Integer.parseInt(body.get("bufferSpace")));
            assertThat(ack.maxSkew()).isEqualTo(Integer.parseInt(body.get("maxSkew")));
            assertThat(ack.firstPacket()).isEqualTo(Integer.parseInt(body.get("firstPacket")));
            assertThat(ack.previousPacket()).isEqualTo(Integer.parseInt(body.get("previousPacket")));
            assertThat(ack.serial()).isEqualTo(Integer.parseInt(body.get("serial")));
            assertThat(ack.reason().code()).isEqualTo(Integer.parseInt(body.get("reason")));
            assertThat(ack.reason().isKnown()).isTrue();
            assertThat(ack.nAcks()).isEqualTo(Integer.parseInt(body.get("nAcks")));
            String acks = body.get("acks");
            assertThat(HexFormat.of().formatHex(ack.acks())).isEqualTo(acks.equals("none") ? "" : acks);
            assertThat(ack.trailer()).isNotNull();
            assertThat(ack.trailer().words()).isEqualTo(4);
            assertThat(ack.trailer().maxMtu()).isEqualTo(Integer.parseInt(body.get("maxMTU")));
            assertThat(ack.trailer().ifMtu()).isEqualTo(Integer.parseInt(body.get("ifMTU")));
            assertThat(ack.trailer().rwind()).isEqualTo(Integer.parseInt(body.get("rwind")));
            assertThat(ack.trailer().jumboMax()).isEqualTo(Integer.parseInt(body.get("maxPackets")));
            assertThat(ack.extraBytes()).isZero();
        } else if (p instanceof AbortPacket abort) {
            assertThat(abort.abortCode()).isEqualTo(Integer.parseInt(body.get("code")));
        } else if (p instanceof ChallengePacket c) {
            assertThat(c.legacy()).isFalse();
            assertThat(c.version()).isEqualTo(Integer.parseInt(body.get("version")));
            assertThat(c.nonce())
                    .isEqualTo(Integer.parseUnsignedInt(body.get("nonce").substring(2), 16));
            assertThat(c.minLevel()).isEqualTo(Integer.parseInt(body.get("min_level")));
            assertThat(c.spare()).isEqualTo(Integer.parseInt(body.get("spare")));
        } else if (p instanceof ResponsePacket r) {
            assertThat(r.version()).isEqualTo(Integer.parseInt(body.get("version")));
            assertThat(r.spare()).isEqualTo(Integer.parseInt(body.get("spare")));
            assertThat(HexFormat.of().formatHex(r.encrypted())).isEqualTo(body.get("encrypted"));
            assertThat(r.kvno()).isEqualTo(Integer.parseInt(body.get("kvno")));
            assertThat(r.ticket()).hasSize(Integer.parseInt(body.get("ticketLen")));
            assertThat(HexFormat.of().formatHex(r.ticket())).isEqualTo(body.get("ticket"));
        } else if (p instanceof DataPacket) {
            checkData(v, packets);
        } else if (p instanceof DebugPacket d) {
            checkDebug(v.name, d);
        } else if (p instanceof VersionPacket ver) {
            if (ver.isRequest()) {
                assertThat(ver.body()).containsExactly(0);
            } else {
                assertThat(ver.body()).hasSize(VersionPacket.REPLY_STRING_SIZE);
                assertThat(ver.versionString()).isEqualTo("OpenAFS 1.8.9-1+deb12u1-debian 2024-12-25");
            }
        } else {
            assertThat(p).isInstanceOfAny(BusyPacket.class, AckAllPacket.class);
            assertThat(v.payload).hasSize(WireHeader.SIZE);
        }
    }

    private static void checkData(Vector v, List<RxPacket> packets) {
        int n = packets.size();
        if (v.name.startsWith("jumbogram-")) {
            assertThat(n).isEqualTo(Integer.parseInt(v.name.substring("jumbogram-".length())));
        }
        int total = 0;
        WireHeader first = packets.get(0).header();
        for (int i = 0; i < n; i++) {
            DataPacket d = (DataPacket) packets.get(i);
            assertThat(d.header().seq()).isEqualTo(first.seq() + i);
            assertThat(d.header().serial()).isEqualTo(first.serial() + i);
            boolean last = i == n - 1;
            assertThat(d.header().hasFlags(PacketFlags.JUMBO_PACKET)).isEqualTo(!last);
            if (!last) {
                assertThat(d.length()).isEqualTo(DataPacket.JUMBO_DATA_SIZE);
            }
            total += d.length();
        }
        assertThat(Jumbogram.size(n, ((DataPacket) packets.get(n - 1)).length()))
                .isEqualTo(v.payload.length);
        assertThat(total).isEqualTo(v.payload.length - WireHeader.SIZE - (n - 1) * DataPacket.JUMBO_HEADER_SIZE);
    }

    private static void checkDebug(String name, DebugPacket d) {
        try {
            switch (name) {
                case "debug-getstats-request" -> assertRequest(d, DebugPacket.GETSTATS);
                case "debug-getconn-request" -> assertRequest(d, DebugPacket.GETCONN);
                case "debug-getpeer-request" -> assertRequest(d, DebugPacket.GETPEER);
                case "debug-rxstats-request" -> assertRequest(d, DebugPacket.RXSTATS);
                case "debug-getstats-reply" -> {
                    // rxdebug printed "Free packets: 344/907, packet reclaims: 0, calls: 36, used FDs: 9".
                    DebugStats s = DebugStats.decode(d.bodyBuffer());
                    assertThat(d.body()).hasSize(DebugStats.SIZE);
                    assertThat(s.nFreePackets()).isEqualTo(344);
                    assertThat(s.nPackets()).isEqualTo(907);
                    assertThat(s.callsExecuted()).isEqualTo(36);
                    assertThat(s.usedFds()).isEqualTo(9);
                    assertThat(s.version()).isEqualTo(DebugStats.VERSION_S);
                    assertStructReencodes(d, s);
                }
                case "debug-getconn-reply" -> {
                    DebugConn c = DebugConn.decode(d.bodyBuffer());
                    assertThat(d.body()).hasSize(DebugConn.SIZE);
                    assertThat(c.isEnd()).isTrue();
                    assertStructReencodes(d, c);
                    assertStructReencodes(d, DebugConn.END);
                }
                case "debug-getpeer-reply" -> {
                    // rxdebug printed "Peer at host 10.77.1.1, port 59039 / ifMTU 1444 / packets sent 2 / rtt 2000".
                    DebugPeer p = DebugPeer.decode(d.bodyBuffer());
                    assertThat(d.body()).hasSize(DebugPeer.SIZE);
                    assertThat(p.host()).isEqualTo(0x0a4d0101);
                    assertThat(p.port()).isEqualTo(59039);
                    assertThat(p.ifMtu()).isEqualTo(1444);
                    assertThat(p.nSent()).isEqualTo(2);
                    assertThat(p.rtt() >> 3).isEqualTo(2000);
                    assertThat(p.cwind()).isEqualTo(2);
                    assertThat(p.isEnd()).isFalse();
                    assertStructReencodes(d, p);
                }
                case "debug-rxstats-reply" -> {
                    DebugRxStats s = DebugRxStats.decode(d.bodyBuffer());
                    assertThat(d.body()).hasSize(DebugRxStats.SIZE);
                    // rxdebug -rxstats printed "packets read: data 36 ack 25 ... debug 2", "sent: data 25 ... abort 11"
                    // and "19 server connections, 0 client connections, 19 peer structs".
                    assertThat(s.packetsRead(PacketType.DATA)).isEqualTo(36);
                    assertThat(s.packetsRead(PacketType.ACK)).isEqualTo(25);
                    assertThat(s.packetsRead(PacketType.DEBUG)).isEqualTo(2);
                    assertThat(s.packetsSent(PacketType.DATA)).isEqualTo(25);
                    assertThat(s.packetsSent(PacketType.ABORT)).isEqualTo(11);
                    assertThat(s.words()[DebugRxStats.DATA_PACKETS_READ]).isEqualTo(36);
                    assertThat(s.words()[DebugRxStats.DATA_PACKETS_SENT]).isEqualTo(25);
                    assertThat(s.words()[DebugRxStats.N_SERVER_CONNS]).isEqualTo(19);
                    assertThat(s.words()[DebugRxStats.N_PEER_STRUCTS]).isEqualTo(19);
                    assertStructReencodes(d, s);
                }
                default -> throw new AssertionError("no expectations for " + name);
            }
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRequest(DebugPacket d, int type) {
        assertThat(d.isRequest()).isTrue();
        assertThat(d.requestType()).isEqualTo(type);
        assertThat(d.requestIndex()).isZero();
        assertThat(DebugPacket.request(d.header(), type, 0)).isEqualTo(d);
    }

    private static void assertStructReencodes(DebugPacket d, DebugPacket.DebugStruct s) {
        assertThat(DebugPacket.reply(d.header(), s).body()).isEqualTo(d.body());
    }

    record Vector(String name, List<String> comments, byte[] payload) {
        Map<String, String> fields(String prefix) {
            Map<String, String> out = new HashMap<>();
            for (String c : comments) {
                if (c.startsWith(prefix)) {
                    Matcher m = KV.matcher(c.substring(prefix.length()));
                    while (m.find()) {
                        out.put(m.group(1), m.group(2));
                    }
                }
            }
            return out;
        }
    }

    static Vector load(String name) {
        try (InputStream in = GoldenVectorTest.class.getResourceAsStream("/golden/" + name + ".hex")) {
            assertThat(in).as(name).isNotNull();
            List<String> comments = new ArrayList<>();
            String hex = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#")) {
                    comments.add(line);
                } else if (!line.isBlank()) {
                    hex = line.trim();
                }
            }
            return new Vector(name, comments, HexFormat.of().parseHex(hex));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
