/**
 * RFC 4506 XDR marshalling over Netty {@link io.netty.buffer.ByteBuf}s: the argument and result encoding of rxgen
 * stubs, layered above packet framing.
 *
 * <p>{@link dev.rxrpc.xdr.XdrReader} decodes untrusted peer input: every variable-length item is read against an
 * explicit bound, and malformed input surfaces as a checked {@link dev.rxrpc.xdr.XdrException} (never an
 * {@code IndexOutOfBoundsException}), which the call layer turns into an unmarshal abort. {@link dev.rxrpc.xdr.XdrWriter}
 * encodes local values: misuse by the caller (a value over its bound, an out-of-range unsigned value) is a programming
 * error and throws {@link java.lang.IllegalArgumentException}.
 *
 * <p>Readers and writers are cheap, single-use, not thread-safe, and never take ownership of the buffer they wrap.
 * The package depends on nothing beyond {@code java.*} and Netty's buffer and util packages, so it can be tested and
 * fuzzed without a channel or an engine.
 */
package dev.rxrpc.xdr;
