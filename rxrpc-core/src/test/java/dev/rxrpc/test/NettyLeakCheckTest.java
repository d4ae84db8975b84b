package dev.rxrpc.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check can fail: an unreleased, collected buffer is reported. */
class NettyLeakCheckTest {

    @Test
    void reportsABufferCollectedWithoutRelease() throws Exception {
        NettyLeakCheck.drain();
        leakOne();
        assertThat(NettyLeakCheck.drain()).anySatisfy(s -> assertThat(s).contains("LEAK"));
    }

    @Test
    void reportsNothingWhenEverythingIsReleased() throws Exception {
        NettyLeakCheck.drain();
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64).writeInt(7);
        b.release();
        assertThat(NettyLeakCheck.drain()).isEmpty();
    }

    private static void leakOne() {
        PooledByteBufAllocator.DEFAULT.directBuffer(64).writeLong(42);
    }
}
