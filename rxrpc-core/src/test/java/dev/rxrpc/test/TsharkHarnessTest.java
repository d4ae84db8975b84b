package dev.rxrpc.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the tshark harness: every golden vector (real OpenAFS traffic) is dissected as clean RX, and a hand-made
 * truncated packet is reported malformed, so the harness can fail.
 */
class TsharkHarnessTest {

    private static final List<String> FIELDS =
            List.of("rx.type", "rx.flags", "rx.cid", "rx.callnumber", "rx.seq", "rx.serial", "rx.serviceid");

    @TempDir
    Path tmp;

    @Test
    void everyGoldenVectorIsCleanRx() throws Exception {
        List<Golden> goldens = Golden.all();
        assertThat(goldens).hasSize(48);
        List<Pcap.Frame> frames = new ArrayList<>();
        for (int i = 0; i < goldens.size(); i++) {
            frames.add(frameOf(goldens.get(i), 49152 + i));
        }

        Tshark.Result result = Tshark.analyze(Pcap.write(tmp.resolve("golden.pcap"), frames), FIELDS);

        assertThat(result.frames()).isEqualTo(goldens.size());
        assertThat(result.rxFrames()).isEqualTo(goldens.size());
        assertThat(result.malformedFrames()).isZero();
        assertThat(result.expertErrorFrames()).isZero();
        for (int i = 0; i < goldens.size(); i++) {
            Golden golden = goldens.get(i);
            Map<String, String> header = golden.header();
            Tshark.FrameInfo frame = result.frame(i + 1);
            assertThat(frame.rx()).as(golden.name()).isTrue();
            assertThat(frame.first("rx.type")).as(golden.name()).isEqualTo(header.get("type"));
            assertThat(Long.decode(frame.first("rx.flags")))
                    .as(golden.name())
                    .isEqualTo(Long.decode(header.get("flags")));
            assertThat(Long.decode(frame.first("rx.cid"))).as(golden.name()).isEqualTo(Long.decode(header.get("cid")));
            assertThat(frame.first("rx.callnumber")).as(golden.name()).isEqualTo(header.get("call"));
            assertThat(frame.first("rx.seq")).as(golden.name()).isEqualTo(header.get("seq"));
            assertThat(frame.first("rx.serial")).as(golden.name()).isEqualTo(header.get("serial"));
            assertThat(frame.first("rx.serviceid")).as(golden.name()).isEqualTo(header.get("serviceId"));
        }
    }

    @Test
    void truncatedAckIsReportedMalformed() throws Exception {
        byte[] ack = new byte[28 + 5];
        ack[20] = 2; // type ACK; the body stops 5 bytes in, inside the firstPacket field
        Path pcap = Pcap.write(tmp.resolve("truncated-ack.pcap"), List.of(new Pcap.Frame(51000, 7000, ack)));

        Tshark.Result result = Tshark.analyze(pcap, "rx.type");

        assertThat(result.frames()).isEqualTo(1);
        assertThat(result.rxFrames()).isEqualTo(1);
        assertThat(result.frame(1).field("rx.type")).isEqualTo("2");
        assertThat(result.malformedFrames()).isEqualTo(1);
        assertThat(result.expertErrorFrames()).isEqualTo(1);
    }

    @Test
    void decodeAsBindsRxToAnyPort() throws Exception {
        byte[] payload = Golden.load("version-request").payload();
        Path pcap = Pcap.write(tmp.resolve("port.pcap"), List.of(new Pcap.Frame(40000, 12345, payload)));

        assertThat(Tshark.analyze(pcap, "rx.type").rxFrames()).isZero();
        Tshark.Result bound = Tshark.analyze(pcap, List.of(Tshark.rxOnPort(12345)), List.of("rx.type"));
        assertThat(bound.rxFrames()).isEqualTo(1);
        assertThat(bound.column("rx.type")).containsExactly("13");
    }

    @Test
    void unrequestedFieldIsAnError() throws Exception {
        Path pcap = Pcap.write(
                tmp.resolve("one.pcap"),
                List.of(new Pcap.Frame(40000, 7003, Golden.load("busy").payload())));
        Tshark.FrameInfo frame = Tshark.analyze(pcap, "rx.type").frame(1);
        assertThatThrownBy(() -> frame.first("rx.seq")).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The golden's own ports when one side is an RX server port (7000-7009, where the dissector is bound), the other
     * side mapped to {@code ephemeral} if it is a low port; every golden vector was captured on an RX server port.
     */
    static Pcap.Frame frameOf(Golden golden, int ephemeral) {
        Golden.Source source = golden.source();
        byte[] payload = golden.payload();
        assertThat(payload).as(golden.name() + " payload length").hasSize(source.payloadLength());
        boolean srcIsServer = isRxPort(source.srcPort());
        boolean dstIsServer = isRxPort(source.dstPort());
        assertThat(srcIsServer || dstIsServer)
                .as(golden.name() + ": neither port of " + source + " is an RX server port")
                .isTrue();
        int src = srcIsServer ? source.srcPort() : clientPort(source.srcPort(), ephemeral);
        int dst = dstIsServer ? source.dstPort() : clientPort(source.dstPort(), ephemeral);
        return new Pcap.Frame(src, dst, payload);
    }

    private static int clientPort(int port, int ephemeral) {
        return port >= 1024 ? port : ephemeral;
    }

    private static boolean isRxPort(int port) {
        return port >= 7000 && port <= 7009;
    }
}
