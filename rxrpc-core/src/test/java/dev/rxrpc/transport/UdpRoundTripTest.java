package dev.rxrpc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.call.Call;
import dev.rxrpc.call.CallCompletion;
import dev.rxrpc.call.CallConfig;
import dev.rxrpc.call.CallListener;
import dev.rxrpc.call.ReceiveRing;
import dev.rxrpc.endpoint.ServiceListener;
import dev.rxrpc.wire.DataPacket;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole calls between two transports on loopback, driven through the engine's own API on each loop: a client call
 * sends a request, the server's handler drains it from the receive ring and replies, the client drains the reply.
 */
class UdpRoundTripTest {

    private static final int SERVICE = 147;
    private static final long TIMEOUT_SECONDS = 10; // hang guard only

    private final AtomicReference<Exchange> current = new AtomicReference<>();
    private UdpTransport server;
    private UdpTransport client;

    @BeforeEach
    void bind() {
        server = UdpTransport.bind(UdpTransportOptions.defaults());
        client = UdpTransport.bind(UdpTransportOptions.defaults());
        server.addService(new ServiceListener(SERVICE, 4, 100, CallConfig.defaults(), this::onIncomingCall, null));
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close(0);
        }
        if (server != null) {
            server.close(0);
        }
    }

    @Test
    void smallRequestAndReply() throws Exception {
        byte[] request = {1, 2, 3};
        byte[] reply = bytes(30, 1);

        Exchange x = exchange(request, reply);

        assertThat(x.serverGot.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(request);
        assertThat(x.clientGot.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(reply);
        assertThat(x.clientDone.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(SUCCEEDED);
        assertThat(x.serverDone.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(SUCCEEDED);
        assertThat(server.engineErrors()).isZero();
        assertThat(client.engineErrors()).isZero();
    }

    @Test
    void largeReplyCrossesManyWindows() throws Exception {
        byte[] request = {1, 2, 3};
        byte[] reply = bytes(200 * 1024, 2);

        Exchange x = exchange(request, reply);

        byte[] got = x.clientGot.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(got).hasSize(reply.length);
        assertThat(crc(got)).isEqualTo(crc(reply));
        assertThat(got).isEqualTo(reply);
        assertThat(x.clientDone.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(SUCCEEDED);
        assertThat(x.serverDone.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(SUCCEEDED);
        assertThat(server.engineErrors()).isZero();
        assertThat(client.engineErrors()).isZero();
    }

    @Test
    void megabyteReplyWrittenAsTheWindowOpens() throws Exception {
        // 743 packets: more than the 256-slot transmit ring, so the writer must follow onSendWindowOpen.
        byte[] reply = bytes(1024 * 1024, 3);

        Exchange x = exchange(new byte[] {1}, reply, true);

        byte[] got = x.clientGot.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(crc(got)).isEqualTo(crc(reply));
        assertThat(got).isEqualTo(reply);
        assertThat(x.clientDone.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(SUCCEEDED);
        assertThat(x.serverDone.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(SUCCEEDED);
    }

    @Test
    void callsInSequenceReuseTheConnection() throws Exception {
        for (int i = 0; i < 5; i++) {
            byte[] reply = bytes(5000 + i, i);
            Exchange x = exchange(new byte[] {(byte) i}, reply);
            assertThat(x.clientGot.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(reply);
            assertThat(x.clientDone.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(SUCCEEDED);
        }
        assertThat(client.submit(ep -> ep.clientConnectionCount()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .isEqualTo(1);
    }

    @Test
    void closingTheServerAbortsItsCallsAndTellsTheClient() throws Exception {
        Exchange x = exchange(new byte[] {9}, null);
        assertThat(x.serverGot.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).containsExactly(9);

        server.close(12345);

        assertThat(x.serverDone.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .isEqualTo(new Ending(CallCompletion.LOCALLY_ABORTED, 12345));
        assertThat(x.clientDone.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .isEqualTo(new Ending(CallCompletion.REMOTELY_ABORTED, 12345));
    }

    // ---------------------------------------------------------------- the exchange

    /** How a call ended. */
    private record Ending(CallCompletion how, int abortCode) {}

    private static final Ending SUCCEEDED = new Ending(CallCompletion.SUCCEEDED, 0);

    private static final class Exchange {
        final byte[] reply;
        final boolean windowed;
        final CompletableFuture<byte[]> serverGot = new CompletableFuture<>();
        final CompletableFuture<Ending> serverDone = new CompletableFuture<>();
        final CompletableFuture<byte[]> clientGot = new CompletableFuture<>();
        final CompletableFuture<Ending> clientDone = new CompletableFuture<>();

        Exchange(byte[] reply, boolean windowed) {
            this.reply = reply;
            this.windowed = windowed;
        }
    }

    /** The server's handler: drains the request, then replies with the current exchange's bytes. */
    private void onIncomingCall(ServiceListener listener, Call call) {
        Exchange x = current.getAndSet(null);
        if (x == null) {
            call.appAbort(1, server.loop().nanoTime());
            listener.recharge();
            return;
        }
        Drain d = new Drain(server, x.serverGot, x.serverDone) {
            private boolean replying;
            private boolean writing;
            private int written;

            @Override
            void onFullyConsumed(Call c) {
                listener.recharge();
                if (x.reply == null) {
                    return; // the test wants the call left running
                }
                replying = true;
                writeSome(c, x.windowed ? RxDefaults.INITIAL_CWND_PACKETS : Integer.MAX_VALUE);
            }

            @Override
            public void onSendWindowOpen(Call c, int packets) {
                if (replying && x.windowed) {
                    writeSome(c, packets);
                }
            }

            /** Writes up to {@code packets} packets' worth; appSend reports window space re-entrantly. */
            private void writeSome(Call c, int packets) {
                if (writing || written == x.reply.length) {
                    return;
                }
                writing = true;
                try {
                    long now = server.loop().nanoTime();
                    long room = (long) packets * DataPacket.JUMBO_DATA_SIZE;
                    int n = (int) Math.min(x.reply.length - written, room);
                    c.appSend(ByteBuffer.wrap(x.reply, written, n), now);
                    written += n;
                    if (written == x.reply.length) {
                        c.appSendComplete(now);
                    }
                } finally {
                    writing = false;
                }
            }
        };
        call.setListener(d);
        call.attachConsumer();
        d.drain(call); // the first packets are in the ring before the handler runs
    }

    private Exchange exchange(byte[] request, byte[] reply) throws Exception {
        return exchange(request, reply, false);
    }

    /**
     * Starts a call. The server replies with {@code reply} in one appSend, or, when {@code windowed}, in pieces no
     * larger than the send window the call reports; null leaves the call running.
     */
    private Exchange exchange(byte[] request, byte[] reply, boolean windowed) throws Exception {
        Exchange x = new Exchange(reply, windowed);
        if (!current.compareAndSet(null, x)) {
            throw new IllegalStateException("one exchange at a time");
        }
        Drain clientSide = new Drain(client, x.clientGot, x.clientDone);
        Call call = client.submit(ep -> {
                    Call c = ep.newClientCall(server.localAddress(), SERVICE, clientSide);
                    c.attachConsumer();
                    long now = client.loop().nanoTime();
                    if (!c.appSend(ByteBuffer.wrap(request), now)) {
                        throw new IllegalStateException("appSend refused on a new call: " + c);
                    }
                    c.appSendComplete(now);
                    return c;
                })
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(call.role()).isEqualTo(Call.Role.CLIENT);
        return x;
    }

    /** Drains a call's inbound ring on the loop, releasing every packet, and reports the bytes when complete. */
    private static class Drain implements CallListener {
        private final UdpTransport transport;
        private final CompletableFuture<byte[]> got;
        private final CompletableFuture<Ending> done;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Drain(UdpTransport transport, CompletableFuture<byte[]> got, CompletableFuture<Ending> done) {
            this.transport = transport;
            this.got = got;
            this.done = done;
        }

        void onFullyConsumed(Call call) {}

        final void drain(Call call) {
            assert transport.loop().inLoop();
            ReceiveRing ring = call.inbound();
            boolean any = false;
            DataPacket p;
            while ((p = ring.poll()) != null) {
                try {
                    byte[] b = new byte[p.payload().readableBytes()];
                    p.payload().getBytes(p.payload().readerIndex(), b);
                    bytes.writeBytes(b);
                    any = true;
                } finally {
                    p.release();
                }
            }
            if (any) {
                call.onConsumerProgress(transport.loop().nanoTime());
            }
            if (ring.isFullyConsumed() && !got.isDone()) {
                got.complete(bytes.toByteArray());
                call.consumerDone();
                onFullyConsumed(call);
            }
        }

        @Override
        public void onInboundReady(Call call) {
            drain(call);
        }

        @Override
        public void onSendWindowOpen(Call call, int packets) {}

        @Override
        public void onComplete(Call call, CallCompletion completion, int abortCode) {
            if (completion == CallCompletion.SUCCEEDED) {
                drain(call); // the last packet may complete the call before onInboundReady reports it
            } else {
                got.completeExceptionally(new AssertionError(call + " ended " + completion + " " + abortCode));
            }
            call.consumerDone();
            done.complete(new Ending(completion, abortCode));
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }
}
