package dev.rxrpc.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapTest {

    @TempDir
    Path tmp;

    @Test
    void fileAndRecordHeaders() throws Exception {
        Path file = Pcap.write(tmp.resolve("a.pcap"), List.of(new Pcap.Frame(1234, 7000, new byte[] {1, 2, 3})));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));

        assertThat(b.getInt(0)).isEqualTo(0xa1b2c3d4);
        assertThat(b.getShort(4)).isEqualTo((short) 2);
        assertThat(b.getShort(6)).isEqualTo((short) 4);
        assertThat(b.getInt(16)).isEqualTo(262_144);
        assertThat(b.getInt(20)).isEqualTo(Pcap.LINKTYPE_RAW);
        assertThat(b.getInt(24 + 8)).isEqualTo(20 + 8 + 3); // incl_len
        assertThat(b.getInt(24 + 12)).isEqualTo(20 + 8 + 3); // orig_len
        assertThat(b.capacity()).isEqualTo(24 + 16 + 31);
    }

    @Test
    void ipv4HeaderChecksumVerifiesAndLengthsAreRight() {
        byte[] packet = Pcap.ipv4Udp(new Pcap.Frame(50000, 7001, new byte[101]));
        ByteBuffer b = ByteBuffer.wrap(packet);

        assertThat(b.getShort(2) & 0xffff).isEqualTo(20 + 8 + 101);
        assertThat(b.getShort(20 + 4) & 0xffff).isEqualTo(8 + 101);
        assertThat(b.getShort(20) & 0xffff).isEqualTo(50000);
        assertThat(b.getShort(22) & 0xffff).isEqualTo(7001);
        long sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += b.getShort(i) & 0xffff;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        assertThat(sum).isEqualTo(0xffff);
    }

    @Test
    void tsharkAcceptsChecksumsAndLengthsUpToTheLargestDatagram() throws Exception {
        byte[] odd = new byte[1413];
        byte[] largest = new byte[Pcap.MAX_UDP_PAYLOAD];
        for (int i = 0; i < largest.length; i++) {
            largest[i] = (byte) (i * 31 + 7);
        }
        System.arraycopy(largest, 0, odd, 0, odd.length);
        Path file = Pcap.write(
                tmp.resolve("big.pcap"),
                List.of(new Pcap.Frame(50000, 7009, odd), new Pcap.Frame(7009, 50000, largest)));

        Tshark.Result result = Tshark.analyze(
                file,
                List.of(),
                List.of("ip.len", "udp.length", "ip.checksum.status", "udp.checksum.status", "ip.src", "ip.dst"),
                List.of("-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"),
                Tshark.DEFAULT_TIMEOUT);

        assertThat(result.frames()).isEqualTo(2);
        assertThat(result.column("ip.len")).containsExactly("1441", "65535");
        assertThat(result.column("udp.length")).containsExactly("1421", "65515");
        assertThat(result.column("ip.checksum.status")).containsOnly("1"); // 1 = Good
        assertThat(result.column("udp.checksum.status")).containsOnly("1");
        assertThat(result.column("ip.src")).containsOnly("127.0.0.1");
        assertThat(result.column("ip.dst")).containsOnly("127.0.0.1");
    }

    @Test
    void rejectsOversizedPayloadsAndBadPorts() {
        assertThatThrownBy(() -> new Pcap.Frame(1, 2, new byte[Pcap.MAX_UDP_PAYLOAD + 1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pcap.Frame(65536, 2, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
