package dev.rxrpc.spring.xdr;

import dev.rxrpc.xdr.XdrException;
import dev.rxrpc.xdr.XdrReader;
import dev.rxrpc.xdr.XdrWriter;

/**
 * Reads and writes one Java type as XDR. Made once per operation by {@link XdrCodecs} at startup, so that the hot
 * path does no reflection beyond the record constructor and accessor handles. Stateless and thread-safe.
 *
 * @param <T> the Java type
 */
public interface XdrCodec<T> {

    /**
     * Decodes one value.
     *
     * @throws XdrException if the input is malformed or breaks a declared bound
     */
    T read(XdrReader in) throws XdrException;

    /**
     * Encodes one value.
     *
     * @throws IllegalArgumentException if the value breaks a declared bound (a string too long, say) or is null where
     *     XDR has no null
     */
    void write(XdrWriter out, T value);

    /** The XDR type in rxgen's notation ({@code string<64>}, {@code struct PrEntry}), for the actuator and errors. */
    String xdrType();
}
