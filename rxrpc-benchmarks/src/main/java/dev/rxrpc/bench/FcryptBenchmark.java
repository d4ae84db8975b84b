package dev.rxrpc.bench;

import dev.rxrpc.security.RxSecurityException;
import dev.rxrpc.security.rxkad.Fcrypt;
import dev.rxrpc.security.rxkad.RxkadCrypto;
import dev.rxrpc.security.rxkad.RxkadLevel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * rxkad's per-packet cryptography: fcrypt in PCBC mode over a buffer (what the crypt level costs per byte), and
 * sealing and opening one whole DATA payload at crypt and auth level, as the send path and the consuming
 * subscriber do.
 *
 * <p>{@code bench/src/fcryptbench.c} times OpenAFS's own fcrypt (libafsrpc) on the same sizes, so the two can be
 * set side by side: bytes / (ns/op) is MB/s.
 *
 * <pre>java -jar rxrpc-benchmarks/target/benchmarks.jar Fcrypt -f 1 -wi 3 -i 5 -w 1s -r 1s</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class FcryptBenchmark {

    private static final byte[] KEY = {0x31, 0x4f, (byte) 0x9d, 0x2c, (byte) 0x85, 0x6b, (byte) 0xe0, 0x17};
    private static final int CALL_NUMBER = 7;
    private static final int SEQ = 42;

    /** 1408: the crypt payload of a 1444-byte packet; 65536: a long run, to show the per-byte rate alone. */
    @Param({"1408", "65536"})
    int bytes;

    private Fcrypt session;
    private byte[] buf;
    private byte[] iv;
    private ByteBuf user;
    private byte[] sealedCrypt;
    private byte[] sealedAuth;
    private ByteBuf sealedCryptBuf;
    private ByteBuf sealedAuthBuf;

    @Setup
    public void setup() {
        session = new Fcrypt(KEY);
        iv = KEY.clone();
        buf = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            buf[i] = (byte) (i * 7);
        }
        int userLen = RxkadCrypto.maxUserData(RxkadLevel.CRYPT, bytes);
        user = Unpooled.wrappedBuffer(buf.clone(), 0, userLen);
        sealedCrypt = new byte[RxkadCrypto.sealedLength(RxkadLevel.CRYPT, userLen)];
        RxkadCrypto.seal(RxkadLevel.CRYPT, session, KEY, CALL_NUMBER, SEQ, user, sealedCrypt);
        sealedCryptBuf = Unpooled.wrappedBuffer(sealedCrypt.clone());
        sealedAuth = new byte[RxkadCrypto.sealedLength(RxkadLevel.AUTH, userLen)];
        RxkadCrypto.seal(RxkadLevel.AUTH, session, KEY, CALL_NUMBER, SEQ, user, sealedAuth);
        sealedAuthBuf = Unpooled.wrappedBuffer(sealedAuth.clone());
    }

    @Benchmark
    public byte[] pcbcEncrypt() {
        session.pcbcEncrypt(buf, 0, bytes, iv);
        return buf;
    }

    @Benchmark
    public byte[] pcbcDecrypt() {
        session.pcbcDecrypt(buf, 0, bytes, iv);
        return buf;
    }

    /** The send path at crypt level: copy the application's bytes behind the sealed word, encrypt them all. */
    @Benchmark
    public byte[] sealCrypt() {
        RxkadCrypto.seal(RxkadLevel.CRYPT, session, KEY, CALL_NUMBER, SEQ, user, sealedCrypt);
        return sealedCrypt;
    }

    /** The consuming side at crypt level: copy out of the datagram, decrypt, check the sealed word. */
    @Benchmark
    public ByteBuffer openCrypt() throws RxSecurityException {
        return RxkadCrypto.open(RxkadLevel.CRYPT, session, KEY, CALL_NUMBER, SEQ, sealedCryptBuf);
    }

    /** The consuming side at auth level: only the first block is encrypted, so this is mostly the copy. */
    @Benchmark
    public ByteBuffer openAuth() throws RxSecurityException {
        return RxkadCrypto.open(RxkadLevel.AUTH, session, KEY, CALL_NUMBER, SEQ, sealedAuthBuf);
    }
}
