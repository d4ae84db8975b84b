package dev.rxrpc.endpoint;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * How the endpoint puts datagrams on the network: implemented by the transport (a Netty channel) and by test
 * networks. Called on the endpoint's loop only.
 */
public interface DatagramSink {

    /** Queues one datagram for {@code to}; takes ownership of {@code datagram}, releasing it even on failure. */
    void send(ByteBuf datagram, InetSocketAddress to);

    /** Pushes queued datagrams out; the endpoint calls it at the end of each batch of work. */
    void flush();
}
