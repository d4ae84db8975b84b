package dev.rxrpc.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.PacketType;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Discarding releases exactly the packets the ring still holds, wherever the ring's seqs stand: holes, packets already
 * consumed, and seqs that wrapped past the 256 slots.
 */
class ReceiveRingDiscardTest {

    static DataPacket packet(int seq) {
        WireHeader h = new WireHeader(1, 4, 1, seq, seq, PacketType.DATA, 0, 0, 0, 0, 1);
        return new DataPacket(h, Unpooled.buffer(8).writeLong(seq));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 200, 300, 1000})
    void releasesExactlyWhatIsHeld(int firstSeq) {
        ReceiveRing ring = new ReceiveRing(64, firstSeq);
        List<DataPacket> all = new ArrayList<>();
        // In order up to +9, then a hole at +10, then +11..+40 and a lone +63.
        for (int k = 0; k < 64; k++) {
            if (k == 10 || (k > 40 && k != 63)) {
                continue;
            }
            DataPacket p = packet(firstSeq + k);
            all.add(p);
            assertThat(ring.insert(p)).isNotIn(ReceiveRing.Insert.EXCEEDS_WINDOW, ReceiveRing.Insert.DUPLICATE);
        }
        List<DataPacket> consumed = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            DataPacket p = ring.poll();
            consumed.add(p);
            p.release();
        }
        int held = all.size() - consumed.size();
        assertThat(ring.discard()).isEqualTo(held);
        assertThat(all).allSatisfy(p -> assertThat(p.refCnt()).isZero());
        assertThat(ring.discard()).isZero();
    }
}
