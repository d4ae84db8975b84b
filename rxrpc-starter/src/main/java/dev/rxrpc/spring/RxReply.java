package dev.rxrpc.spring;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.reactivestreams.Publisher;

/**
 * A reply made of XDR results followed by raw bytes: the server half of a split call (AFS FetchData: the length,
 * then the file). The results are encoded as the operation's declared type parameter says; the stream is sent after
 * them, pulled as the send window opens, so a slow client slows the publisher down.
 *
 * @param <T> the type of the XDR results (a record for several OUT parameters, {@code Void} for none)
 * @param results the XDR results, null only for {@code Void}
 * @param stream the bytes that follow; each buffer is read from its position to its limit
 */
public record RxReply<T>(T results, Publisher<ByteBuffer> stream) {

    public RxReply {
        Objects.requireNonNull(stream, "stream");
    }

    /** A reply of {@code results}, then {@code stream}. */
    public static <T> RxReply<T> withStream(T results, Publisher<ByteBuffer> stream) {
        return new RxReply<>(results, stream);
    }
}
