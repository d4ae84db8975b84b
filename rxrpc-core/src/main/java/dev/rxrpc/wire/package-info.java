/**
 * The RxRPC wire format: the 28-byte header, every packet type's body, jumbogram splitting and building, and the
 * rxdebug structs. Bytes only: this package depends on Netty's buffers and nothing else, holds no connection state,
 * and reports malformed input as {@link dev.rxrpc.wire.MalformedPacketException} with a reason.
 *
 * <p>Sources of the format: the Rx specification in OpenAFS {@code doc/txt/rx-spec.txt}, OpenAFS {@code src/rx/rx.h}
 * and {@code rx_packet.h}, Linux {@code net/rxrpc/protocol.h}, and real OpenAFS 1.8.9 captures (the golden vectors
 * under the test resources).
 */
package dev.rxrpc.wire;
