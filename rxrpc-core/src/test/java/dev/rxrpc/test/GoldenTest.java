package dev.rxrpc.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GoldenTest {

    @Test
    void listsAndLoadsEveryVector() {
        assertThat(Golden.names()).hasSize(48).contains("busy", "jumbogram-4", "rxkad-k5-response");
        for (Golden golden : Golden.all()) {
            assertThat(golden.payload())
                    .as(golden.name())
                    .hasSize(golden.source().payloadLength());
            assertThat(golden.header()).as(golden.name()).containsKeys("epoch", "cid", "type", "serviceId");
        }
    }

    @Test
    void parsesHeaderSourceAndBody() {
        Golden abort = Golden.load("abort-bos");
        assertThat(abort.header())
                .containsExactly(
                        entry("epoch", "2787430323"),
                        entry("cid", "0xcd31d3e4"),
                        entry("call", "3"),
                        entry("seq", "0"),
                        entry("serial", "3"),
                        entry("type", "4"),
                        entry("flags", "0x00"),
                        entry("userStatus", "0"),
                        entry("securityIndex", "0"),
                        entry("spare/cksum", "0"),
                        entry("serviceId", "1"));
        assertThat(abort.body()).containsExactly(entry("code", "39429"));
        assertThat(abort.source())
                .isEqualTo(
                        new Golden.Source("pcap/openafs-demo.pcapng", 180, "10.77.1.1", 7007, "10.77.1.1", 53044, 32));
        assertThat(abort.payload()).hasSize(32);
        assertThat(abort.description()).startsWith("ABORT code 39429");

        Map<String, String> ack = Golden.load("ack-idle").body();
        assertThat(ack)
                .contains(
                        entry("firstPacket", "4"),
                        entry("reason", "9"),
                        entry("nAcks", "2"),
                        entry("acks", "0101"),
                        entry("maxMTU", "5692"),
                        entry("ifMTU", "1444"),
                        entry("rwind", "32"),
                        entry("maxPackets", "4"));

        assertThat(Golden.load("busy").body()).isEmpty();
        assertThat(Golden.load("rxkad-k5-response").body())
                .containsEntry("kvno", "213")
                .containsEntry("ticketLen", "154")
                .containsKey("encrypted");
    }

    @Test
    void payloadIsACopy() {
        Golden golden = Golden.load("busy");
        golden.payload()[0] ^= 1;
        assertThat(golden.payload()).isEqualTo(Golden.load("busy").payload());
    }
}
