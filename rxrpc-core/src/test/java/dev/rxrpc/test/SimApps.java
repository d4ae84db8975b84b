package dev.rxrpc.test;

import dev.rxrpc.call.Call;
import dev.rxrpc.call.CallCompletion;
import dev.rxrpc.call.CallListener;
import dev.rxrpc.endpoint.IncomingCallHandler;
import dev.rxrpc.endpoint.LocalEndpoint;
import dev.rxrpc.endpoint.ServiceListener;
import dev.rxrpc.loop.EngineLoop;
import dev.rxrpc.wire.DataPacket;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Applications for engine tests that drive calls through the engine's own API, the way the reactive adapters do:
 * they drain the inbound ring as a consumer (in tasks of their own, never re-entrantly), and write outbound data in
 * chunks as the send window opens.
 */
public final class SimApps {

    private SimApps() {}

    /** Deterministic bytes: what a test sends and later checks. */
    public static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        int x = seed * 0x9e3779b1 + 1;
        for (int i = 0; i < length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            b[i] = (byte) x;
        }
        return b;
    }

    /** Outcome of one client call. */
    public static final class ClientCall implements CallListener {
        private final EngineLoop loop;
        private final byte[] request;
        private final int chunk;
        private final ByteArrayOutputStream reply = new ByteArrayOutputStream();
        private Call call;
        private int requestSent;
        private boolean requestDone;
        private boolean drainScheduled;
        private boolean consumerStopped;
        private CallCompletion completion;
        private int abortCode;
        private boolean done;
        private long maxHeld;
        private boolean paused;

        ClientCall(EngineLoop loop, byte[] request, int chunk) {
            this.loop = loop;
            this.request = request;
            this.chunk = chunk;
        }

        void start(
                LocalEndpoint ep,
                InetSocketAddress server,
                int serviceId,
                dev.rxrpc.security.SecurityClass security,
                boolean upgrade) {
            call = ep.newClientCall(server, serviceId, security, this, upgrade);
            call.attachConsumer();
            feed();
        }

        private void feed() {
            if (requestDone || !call.wantsMoreData()) {
                return;
            }
            long now = loop.nanoTime();
            int n = Math.min(chunk, request.length - requestSent);
            if (n > 0) {
                if (!call.appSend(ByteBuffer.wrap(request, requestSent, n), now)) {
                    return;
                }
                requestSent += n;
            }
            if (requestSent == request.length && !requestDone) {
                requestDone = true;
                call.appSendComplete(now);
            }
        }

        /** Stops draining (a slow subscriber) until {@link #resume()}. */
        public void pause() {
            paused = true;
        }

        /** Resumes draining. */
        public void resume() {
            paused = false;
            scheduleDrain();
        }

        @Override
        public void onInboundReady(Call c) {
            scheduleDrain();
        }

        private void scheduleDrain() {
            if (!drainScheduled && !consumerStopped) {
                drainScheduled = true;
                loop.execute(this::drain);
            }
        }

        private void drain() {
            drainScheduled = false;
            if (consumerStopped || paused) {
                return;
            }
            maxHeld = Math.max(maxHeld, heldPackets());
            DataPacket p;
            boolean any = false;
            while ((p = call.inbound().poll()) != null) {
                byte[] b = open(loop, call, p);
                if (b == null) {
                    return;
                }
                reply.writeBytes(b);
                any = true;
            }
            if (any) {
                call.onConsumerProgress(loop.nanoTime());
            }
            maybeFinish();
        }

        private long heldPackets() {
            return call.inbound().contiguous() - call.inbound().consumed();
        }

        private void maybeFinish() {
            if (done) {
                return;
            }
            if (completion != null && completion != CallCompletion.SUCCEEDED) {
                finish();
            } else if (call.inbound().isFullyConsumed()) {
                finish();
            }
        }

        private void finish() {
            done = true;
            consumerStopped = true;
            call.consumerDone();
        }

        @Override
        public void onSendWindowOpen(Call c, int packets) {
            if (!requestDone) {
                loop.execute(this::feed);
            }
        }

        @Override
        public void onComplete(Call c, CallCompletion how, int code) {
            completion = how;
            abortCode = code;
            scheduleDrain();
            if (how != CallCompletion.SUCCEEDED) {
                loop.execute(this::maybeFinish);
            }
        }

        /** Whether the call ended and its reply was drained (or it failed). */
        public boolean isDone() {
            return done;
        }

        /** The reply received so far. */
        public byte[] reply() {
            return reply.toByteArray();
        }

        /** How the call ended, or null. */
        public CallCompletion completion() {
            return completion;
        }

        /** The abort code, if any. */
        public int abortCode() {
            return abortCode;
        }

        @Override
        public String toString() {
            return "ClientCall[" + call + " requestSent=" + requestSent + "/" + request.length + " reply="
                    + reply.size() + " rtt=" + call.rtt() + " cwnd=" + call.cwnd() + " retransmits="
                    + call.retransmits() + "]";
        }

        /** The engine call. */
        public Call call() {
            return call;
        }

        /** Most inbound packets the ring held at a drain. */
        public long maxHeld() {
            return maxHeld;
        }
    }

    /** Starts a client call that sends {@code request} in chunks of {@code chunk} bytes. */
    public static ClientCall call(
            LocalEndpoint ep, EngineLoop loop, InetSocketAddress server, int serviceId, byte[] request, int chunk) {
        return call(ep, loop, server, serviceId, dev.rxrpc.security.NullSecurity.INSTANCE, request, chunk);
    }

    /** Starts a client call protected by {@code security}. */
    public static ClientCall call(
            LocalEndpoint ep,
            EngineLoop loop,
            InetSocketAddress server,
            int serviceId,
            dev.rxrpc.security.SecurityClass security,
            byte[] request,
            int chunk) {
        ClientCall c = new ClientCall(loop, request, chunk);
        c.start(ep, server, serviceId, security, false);
        return c;
    }

    /** As {@link #call}, asking the server for a service upgrade. */
    public static ClientCall upgradingCall(
            LocalEndpoint ep, EngineLoop loop, InetSocketAddress server, int serviceId, byte[] request, int chunk) {
        ClientCall c = new ClientCall(loop, request, chunk);
        c.start(ep, server, serviceId, dev.rxrpc.security.NullSecurity.INSTANCE, true);
        return c;
    }

    /**
     * A server application: reads each request whole, then replies with {@code reply.apply(request)} (or aborts
     * with the code when the function returns an int[] holder... kept simple: a null reply aborts with 1234).
     */
    public static final class Server implements IncomingCallHandler {
        private final EngineLoop loop;
        private final Function<byte[], byte[]> reply;
        private final int chunk;
        private int accepted;
        private boolean holdAccepts;
        private final java.util.ArrayDeque<Object[]> held = new java.util.ArrayDeque<>();

        public Server(EngineLoop loop, Function<byte[], byte[]> reply, int chunk) {
            this.loop = loop;
            this.reply = reply;
            this.chunk = chunk;
        }

        /** While held, admitted calls are not accepted (the pool is not recharged). */
        public void holdAccepts(boolean hold) {
            holdAccepts = hold;
            while (!hold && !held.isEmpty()) {
                Object[] h = held.poll();
                accept((ServiceListener) h[0], (Call) h[1]);
            }
        }

        /** Calls accepted. */
        public int accepted() {
            return accepted;
        }

        @Override
        public void onIncomingCall(ServiceListener listener, Call call) {
            if (holdAccepts) {
                held.add(new Object[] {listener, call});
                return;
            }
            loop.execute(() -> accept(listener, call));
        }

        private void accept(ServiceListener listener, Call call) {
            accepted++;
            listener.recharge();
            new ServerCall(call).start();
        }

        private final class ServerCall implements CallListener {
            private final Call call;
            private final ByteArrayOutputStream request = new ByteArrayOutputStream();
            private byte[] out;
            private int sent;
            private boolean drainScheduled;
            private boolean replying;

            ServerCall(Call call) {
                this.call = call;
            }

            void start() {
                call.setListener(this);
                call.attachConsumer();
                drain();
            }

            @Override
            public void onInboundReady(Call c) {
                if (!drainScheduled) {
                    drainScheduled = true;
                    loop.execute(this::drain);
                }
            }

            private void drain() {
                drainScheduled = false;
                DataPacket p;
                boolean any = false;
                while ((p = call.inbound().poll()) != null) {
                    byte[] b = open(loop, call, p);
                    if (b == null) {
                        return;
                    }
                    request.writeBytes(b);
                    any = true;
                }
                if (any) {
                    call.onConsumerProgress(loop.nanoTime());
                }
                if (!replying && call.inbound().isFullyConsumed()) {
                    replying = true;
                    call.consumerDone();
                    out = reply.apply(request.toByteArray());
                    if (out == null) {
                        call.appAbort(1234, loop.nanoTime());
                        return;
                    }
                    feed();
                }
            }

            private void feed() {
                if (sent > out.length || !call.wantsMoreData()) {
                    return;
                }
                long now = loop.nanoTime();
                int n = Math.min(chunk, out.length - sent);
                if (n > 0) {
                    if (!call.appSend(ByteBuffer.wrap(out, sent, n), now)) {
                        return;
                    }
                    sent += n;
                }
                if (sent == out.length) {
                    sent++;
                    call.appSendComplete(now);
                }
            }

            @Override
            public void onSendWindowOpen(Call c, int packets) {
                if (replying && out != null && sent <= out.length) {
                    loop.execute(this::feed);
                }
            }

            @Override
            public void onComplete(Call c, CallCompletion completion, int abortCode) {
                if (!replying) {
                    call.consumerDone();
                }
            }
        }
    }

    /** Replies with a deterministic pattern whose length and seed come from the request's first 8 bytes. */
    /**
     * The packet's application bytes as the call's security class opens them (as the real adapter does); releases
     * the packet. A packet that fails its check aborts the call with the class's code and gives null.
     */
    static byte[] open(EngineLoop loop, Call call, DataPacket p) {
        try {
            java.nio.ByteBuffer b = call.security().open(p);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (dev.rxrpc.security.RxSecurityException e) {
            call.appAbort(e.abortCode(), loop.nanoTime());
            return null;
        } finally {
            p.release();
        }
    }

    public static byte[] patternReply(byte[] request) {
        if (request.length < 8) {
            return new byte[0];
        }
        ByteBuffer b = ByteBuffer.wrap(request);
        int len = b.getInt();
        int seed = b.getInt();
        return pattern(len, seed);
    }

    /** A request asking {@link #patternReply} for {@code replyLength} bytes, padded to {@code requestLength}. */
    public static byte[] patternRequest(int requestLength, int replyLength, int seed) {
        byte[] r = Arrays.copyOf(pattern(Math.max(8, requestLength), seed + 7), Math.max(8, requestLength));
        ByteBuffer.wrap(r).putInt(replyLength).putInt(seed);
        return r;
    }
}
