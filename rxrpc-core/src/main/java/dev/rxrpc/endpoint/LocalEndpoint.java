package dev.rxrpc.endpoint;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.call.Call;
import dev.rxrpc.call.CallCompletion;
import dev.rxrpc.call.CallConfig;
import dev.rxrpc.call.CallListener;
import dev.rxrpc.call.CallState;
import dev.rxrpc.conn.Connection;
import dev.rxrpc.internal.EventLoopConfined;
import dev.rxrpc.internal.SeqMath;
import dev.rxrpc.loop.Cancellable;
import dev.rxrpc.loop.EngineLoop;
import dev.rxrpc.metrics.RxMetricsRecorder;
import dev.rxrpc.peer.Peer;
import dev.rxrpc.peer.PeerTable;
import dev.rxrpc.security.ConnectionParams;
import dev.rxrpc.security.NullSecurity;
import dev.rxrpc.security.RxSecurityException;
import dev.rxrpc.security.SecurityClass;
import dev.rxrpc.security.ServerSecurity;
import dev.rxrpc.wire.AbortCode;
import dev.rxrpc.wire.AbortPacket;
import dev.rxrpc.wire.AckPacket;
import dev.rxrpc.wire.AckReason;
import dev.rxrpc.wire.BusyPacket;
import dev.rxrpc.wire.ChallengePacket;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.DebugConn;
import dev.rxrpc.wire.DebugPacket;
import dev.rxrpc.wire.DebugPeer;
import dev.rxrpc.wire.DebugRxStats;
import dev.rxrpc.wire.DebugStats;
import dev.rxrpc.wire.MalformedPacketException;
import dev.rxrpc.wire.PacketCodec;
import dev.rxrpc.wire.PacketFlags;
import dev.rxrpc.wire.PacketType;
import dev.rxrpc.wire.ResponsePacket;
import dev.rxrpc.wire.RxPacket;
import dev.rxrpc.wire.VersionPacket;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bound UDP endpoint: the receive path that routes every datagram (Linux's {@code io_thread.c}), the tables of
 * peers and connections in both roles, the services with their preallocation pools, and the answers to rxdebug's
 * VERSION and DEBUG queries.
 *
 * <p>Event-loop confined: every method runs on the endpoint's loop. The transport calls {@link #onDatagram} for each
 * received datagram and keeps ownership of it; packets the endpoint keeps are retained slices.
 *
 * <p>Every datagram that is not processed is counted and logged at debug level with its reason; datagrams from the
 * network never raise an exception out of {@link #onDatagram}.
 */
@EventLoopConfined
public final class LocalEndpoint implements Connection.Environment {

    private static final Logger log = LoggerFactory.getLogger(LocalEndpoint.class);
    /**
     * Every datagram in and out, decoded, at TRACE: the engine's packet trace for races that a capture perturbs or
     * misses. Off by default; enable logger {@code dev.rxrpc.trace.packets}.
     */
    private static final Logger packetTrace = LoggerFactory.getLogger("dev.rxrpc.trace.packets");

    private final EngineLoop loop;
    private final ByteBufAllocator alloc;
    private final DatagramSink sink;
    private final EndpointConfig config;
    private final RxMetricsRecorder metrics;
    private final int epoch;
    private final Random random;
    private final PeerTable peers;
    private final Map<Integer, ServiceListener> services = new HashMap<>();
    private final Map<Integer, Integer> upgrades = new HashMap<>();
    private final Map<ServerConnKey, Connection> serverConns = new HashMap<>();
    private final Map<Integer, Connection> clientConns = new HashMap<>();
    private final Map<ClientBundleKey, java.util.ArrayDeque<Connection>> bundles = new HashMap<>();
    private final List<RxPacket> scratch = new ArrayList<>(DataPacket.MAX_JUMBO_SUBPACKETS);
    private final long[] packetsRead = new long[14];
    private final long[] packetsSent = new long[14];
    // A mutable count per reason, so that counting boxes nothing: late ACKs of completed calls are rejected as
    // STALE_CALL at up to one per call, and reject() was 4 % of the loop's Java samples at 8 small calls in flight.
    private final Map<String, long[]> rejections = new HashMap<>();
    private int nextCid;
    private int activeServerCalls;
    private long callsExecuted;
    private long busiesSent;
    private long pingsOfUnseenCallsAnswered;
    private long serviceUpgrades;
    private boolean shutDown;
    private Cancellable reaper;
    // Calls whose every-other-packet ACK waits for sendOwedAcks (Call.endDatagram). The task is queued when the first
    // of them arrives, so it runs behind the loop-delivered reads that the same datagrams queued.
    private final java.util.ArrayDeque<Call> owedAcks = new java.util.ArrayDeque<>();
    private final Runnable sendOwedAcks = this::sendOwedAcks;

    /** Keys a server connection: the address takes part unless the client's epoch says otherwise. */
    private record ServerConnKey(int epoch, int connectionId, InetSocketAddress address) {}

    /**
     * Client connections are shared only by calls made with the same security class instance (credentials); calls
     * asking for a service upgrade get connections of their own, as Linux keeps them in their own bundle.
     */
    private record ClientBundleKey(InetSocketAddress address, int serviceId, SecurityClass security, boolean upgrade) {}

    private final Map<Integer, SecurityClass> securityClasses = new HashMap<>();

    /**
     * @param loop the loop every method runs on
     * @param alloc buffers for outgoing datagrams
     * @param sink the way out
     * @param config limits and call tunables
     * @param metrics counters
     * @param random source of the epoch and the first cid
     */
    public LocalEndpoint(
            EngineLoop loop,
            ByteBufAllocator alloc,
            DatagramSink sink,
            EndpointConfig config,
            RxMetricsRecorder metrics,
            Random random) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = metrics == null ? RxMetricsRecorder.NOOP : metrics;
        this.random = Objects.requireNonNull(random, "random");
        this.peers = new PeerTable(config.pathMtuBytes(), RxDefaults.PMTU_RAISE_INTERVAL_MILLIS * 1_000_000L);
        // Bit 31 marks a random epoch that keys connections by (epoch, cid) alone; bit 30 stays clear, as OpenAFS.
        this.epoch = (random.nextInt() | WireHeader.EPOCH_IS_KEY_ONLY) & ~0x40000000;
        this.nextCid = (random.nextInt(1 << 29) + 1) << WireHeader.CHANNELS / 2;
        securityClasses.put(NullSecurity.INDEX, NullSecurity.INSTANCE);
    }

    // ---------------------------------------------------------------- security classes

    /**
     * Accepts incoming connections of {@code cls}'s index (replacing any class of that index). rxnull (index 0) is
     * accepted from the start. Loop only; normally before the first datagram.
     */
    public void addSecurityClass(SecurityClass cls) {
        assert loop.inLoop();
        securityClasses.put(cls.index(), Objects.requireNonNull(cls, "cls"));
    }

    /**
     * Stops accepting new incoming connections of a security index (e.g. 0, to refuse anonymous callers); they are
     * aborted with RX_INVALID_OPERATION. Loop only.
     */
    public void removeSecurityClass(int index) {
        assert loop.inLoop();
        securityClasses.remove(index);
    }

    // ---------------------------------------------------------------- services

    /** Offers a service. Loop only; normally before the first datagram. */
    public void addService(ServiceListener listener) {
        assert loop.inLoop();
        if (services.putIfAbsent(listener.serviceId(), listener) != null) {
            throw new IllegalStateException("service " + listener.serviceId() + " is already offered here");
        }
    }

    /**
     * Moves new connections that ask for a service upgrade (userStatus {@link WireHeader#USERSTATUS_SERVICE_UPGRADE}
     * on their first DATA packet, seq 1) from {@code fromServiceId} to {@code toServiceId}, as Linux's
     * RXRPC_UPGRADEABLE_SERVICE and AuriStor do; every packet we send on such a connection carries {@code toServiceId},
     * which is how the client learns it was upgraded. Both services must be offered here. Loop only.
     *
     * @throws IllegalArgumentException if either service is not offered, or {@code fromServiceId} is already upgraded
     */
    public void addUpgrade(int fromServiceId, int toServiceId) {
        assert loop.inLoop();
        if (!services.containsKey(fromServiceId) || !services.containsKey(toServiceId)) {
            throw new IllegalArgumentException("service upgrade " + fromServiceId + " -> " + toServiceId
                    + " needs both services offered on this endpoint; offered: " + services.keySet());
        }
        if (fromServiceId == toServiceId || upgrades.putIfAbsent(fromServiceId, toServiceId) != null) {
            throw new IllegalArgumentException("service " + fromServiceId + " already has an upgrade, or is its own");
        }
    }

    /** The endpoint's epoch, used on client connections. */
    public int epoch() {
        return epoch;
    }

    /** The call tunables. */
    @Override
    public CallConfig callConfig() {
        return config.callConfig();
    }

    // ---------------------------------------------------------------- receive path

    /**
     * Processes one received datagram. The caller keeps its reference to {@code datagram}.
     *
     * @param from the sender's address
     */
    public void onDatagram(ByteBuf datagram, InetSocketAddress from) {
        assert loop.inLoop();
        long now = loop.nanoTime();
        List<RxPacket> packets = scratch;
        packets.clear();
        try {
            PacketCodec.decode(datagram, packets);
        } catch (MalformedPacketException e) {
            reject(e.reason().name(), from, e.getMessage());
            if (e.reason() == MalformedPacketException.Reason.BAD_TYPE) {
                abortUnknownType(datagram, from);
            } else {
                malformedHandshake(datagram, from, e);
            }
            sink.flush();
            return;
        }
        try {
            WireHeader h = packets.get(0).header();
            if (packetTrace.isTraceEnabled()) {
                packetTrace.trace("in  {} {}", from, packets);
            }
            int type = h.type().code();
            packetsRead[type]++;
            metrics.packetReceived(type);
            Peer peer = peers.get(from);
            peer.onReceived(datagram.readableBytes(), now);
            if (shutDown) {
                reject("SHUT_DOWN", from, null);
                return;
            }
            PacketType t = h.type();
            if (t == PacketType.VERSION) {
                onVersion((VersionPacket) packets.get(0), peer);
            } else if (t == PacketType.DEBUG) {
                onDebug((DebugPacket) packets.get(0), peer);
            } else if (h.isClientInitiated()) {
                routeToServerSide(h, packets, peer, now);
            } else {
                routeToClientSide(h, packets, peer, now);
            }
        } finally {
            // Whatever nobody took is released here: the call takes the DATA packets it keeps.
            for (RxPacket p : packets) {
                if (p instanceof DataPacket d) {
                    d.release();
                }
            }
            packets.clear();
            sink.flush();
        }
    }

    private void routeToServerSide(WireHeader h, List<RxPacket> packets, Peer peer, long now) {
        InetSocketAddress from = peer.address();
        ServerConnKey key = new ServerConnKey(h.epoch(), h.connectionId(), h.epochIsKeyOnly() ? null : from);
        Connection conn = serverConns.get(key);
        if (conn == null) {
            if (h.type() != PacketType.DATA) {
                reject("NO_CONNECTION", from, h.type().name());
                return;
            }
            conn = newServerConnection(h, peer, now);
            if (conn == null) {
                return;
            }
            serverConns.put(key, conn);
        } else if (conn.peer() != peer) {
            conn.movePeer(peer);
        }
        if (h.callNumber() == 0) {
            onConnectionPacket(conn, packets.get(0), now);
            return;
        }
        if (conn.error() != 0) {
            // A connection we aborted (failed handshake): every packet of it is answered with its error.
            reject("CONNECTION_IN_ERROR", from, Integer.toString(conn.error()));
            sendAbort(h, peer, conn.error());
            return;
        }
        if (h.securityIndex() != conn.securityIndex()) {
            reject("WRONG_SECURITY_INDEX", from, Integer.toString(h.securityIndex()));
            return;
        }
        int ch = h.channel();
        int current = conn.callNumber(ch);
        Call call = conn.call(ch);
        if (call != null && h.callNumber() == current) {
            deliverToCall(call, packets, now);
            return;
        }
        if (call == null && current != 0 && h.callNumber() == current) {
            onEndedCallPacket(conn, h, peer);
            return;
        }
        if (current != 0 && SeqMath.before(h.callNumber(), current)) {
            reject("STALE_CALL", from, null);
            return;
        }
        if (h.type() == PacketType.ACK && ((AckPacket) packets.get(0)).reason().equals(AckReason.PING)) {
            answerPingOfUnseenCall(conn, (AckPacket) packets.get(0), peer);
            return;
        }
        if (h.type() != PacketType.DATA) {
            reject("NO_CALL", from, h.type().name());
            return;
        }
        if (call != null && call.state() != CallState.COMPLETE) {
            if (call.state() == CallState.SERVER_AWAIT_ACK) {
                // A new call on the channel means the client has the whole previous reply.
                call.onAckAll(now);
            } else {
                sendBusy(h, conn, peer);
                return;
            }
        }
        ServiceListener service = services.get(conn.serviceId());
        if (activeServerCalls >= config.maxActiveCalls()) {
            sendBusy(h, conn, peer);
            return;
        }
        Call fresh = service.take();
        if (fresh == null) {
            sendBusy(h, conn, peer);
            return;
        }
        activeServerCalls++;
        callsExecuted++;
        conn.attach(fresh, ch, h.callNumber(), now);
        deliverToCall(fresh, packets, now);
        if (conn.serverSecurity().isAuthenticated()) {
            service.deliver(fresh);
        } else {
            // The call's data is kept (and ACKed) meanwhile; the application sees it once the peer has proved who
            // it is, and the packets are verified when the application reads them.
            conn.hold(fresh);
            if (!conn.challenging() && !conn.responseFailed()) {
                sendChallenge(conn);
            }
        }
    }

    /**
     * A client pings a call none of whose packets has reached us: its request was lost on the way (an OpenAFS client
     * pings after 4 s of silence). A PING asks for an answer, and this one says that the server is there and has
     * nothing of the call (first packet 1, nothing soft-ACKed), naming the ping's serial. It does not hurry an
     * OpenAFS client, which resends on its own timer whether answered or not (captures in
     * bench/results/raw/lossy-rpc-2026-12-04). No call is made: the resent request makes it, as any first packet does.
     */
    private void answerPingOfUnseenCall(Connection conn, AckPacket ping, Peer peer) {
        WireHeader h = ping.header();
        WireHeader r = new WireHeader(
                h.epoch(),
                h.cid(),
                h.callNumber(),
                0,
                conn.nextSerials(1),
                PacketType.ACK,
                PacketFlags.SLOW_START_OK,
                0,
                h.securityIndex(),
                0,
                conn.serviceId());
        CallConfig cc = config.callConfig();
        AckPacket answer = AckPacket.of(
                r,
                1,
                0,
                h.serial(),
                AckReason.PING_RESPONSE,
                new byte[0],
                conn.ackTrailer(cc, cc.receiveWindowPackets()));
        send(answer.encode(alloc), peer);
        pingsOfUnseenCallsAnswered++;
        metrics.packetSent(PacketType.ACK.code());
        metrics.ackSent(AckReason.PING_RESPONSE.code());
    }

    /**
     * A packet for the last call of a server channel, which has ended and been let go: a retransmitted request of a
     * call we aborted gets the ABORT again, as the call itself would answer; anything else is dropped (a SUCCEEDED
     * call has nothing to resend: its reply was acknowledged).
     */
    private void onEndedCallPacket(Connection conn, WireHeader h, Peer peer) {
        int ch = h.channel();
        CallCompletion how = conn.endedHow(ch);
        if (h.type() == PacketType.DATA
                && (how == CallCompletion.LOCALLY_ABORTED || how == CallCompletion.NETWORK_ERROR)) {
            sendAbort(h, peer, conn.endedAbortCode(ch));
            return;
        }
        reject("CALL_ENDED", peer.address(), h.type().name());
    }

    private Connection newServerConnection(WireHeader h, Peer peer, long now) {
        int serviceId = h.serviceId();
        if (h.seq() != 1 && upgrades.containsKey(serviceId)) {
            // Only seq 1 says whether the client asks for the upgrade; a reordered later packet must not make the
            // connection first and fix its service. Seq 1 will come (or be resent), and this one after it.
            reject("AWAIT_SEQ_1", peer.address(), Integer.toString(serviceId));
            return null;
        }
        // Only the packet that makes the connection can upgrade it; later calls on it inherit the upgraded id.
        if (h.userStatus() == WireHeader.USERSTATUS_SERVICE_UPGRADE
                && h.seq() == 1
                && upgrades.containsKey(serviceId)) {
            serviceId = upgrades.get(serviceId);
            serviceUpgrades++;
        }
        if (!services.containsKey(serviceId)) {
            reject("NO_SERVICE", peer.address(), Integer.toString(serviceId));
            sendAbort(h, peer, AbortCode.RX_INVALID_OPERATION.code());
            return null;
        }
        SecurityClass cls = securityClasses.get(h.securityIndex());
        if (cls == null) {
            // A security class we do not offer: say so rather than leave the client waiting.
            reject("NO_SECURITY_CLASS", peer.address(), Integer.toString(h.securityIndex()));
            sendAbort(h, peer, AbortCode.RX_INVALID_OPERATION.code());
            return null;
        }
        if (serverConns.size() >= config.maxConnections() || peer.connections() >= config.maxConnectionsPerPeer()) {
            reject("CONNECTION_LIMIT", peer.address(), null);
            sendBusy(h, null, peer);
            return null;
        }
        Connection conn =
                new Connection(Connection.Role.SERVER, this, peer, h.epoch(), h.cid(), serviceId, h.securityIndex());
        conn.setSecurity(cls.newServerSecurity(
                new ConnectionParams(h.epoch(), conn.connectionId(), h.securityIndex(), serviceId)));
        return conn;
    }

    private void routeToClientSide(WireHeader h, List<RxPacket> packets, Peer peer, long now) {
        if (h.epoch() != epoch) {
            reject("WRONG_EPOCH", peer.address(), null);
            return;
        }
        Connection conn = clientConns.get(h.connectionId());
        if (conn == null) {
            reject("NO_CONNECTION", peer.address(), h.type().name());
            return;
        }
        if (h.serviceId() != conn.serviceId()) {
            if (!conn.probingForUpgrade()) {
                reject("WRONG_SERVICE", peer.address(), h.serviceId() + " on a connection to " + conn.serviceId());
                return;
            }
            // The server took our upgrade request: this connection now talks to the upgraded service.
            conn.adoptServiceId(h.serviceId());
        }
        if (h.callNumber() == 0) {
            onConnectionPacket(conn, packets.get(0), now);
            return;
        }
        Call call = conn.call(h.channel());
        if (call == null || conn.callNumber(h.channel()) != h.callNumber()) {
            reject("NO_CALL", peer.address(), h.type().name());
            return;
        }
        deliverToCall(call, packets, now);
    }

    private void deliverToCall(Call call, List<RxPacket> packets, long now) {
        RxPacket first = packets.get(0);
        PacketType t = first.header().type();
        if (t == PacketType.DATA) {
            try {
                for (int i = 0; i < packets.size(); i++) {
                    DataPacket d = (DataPacket) packets.get(i);
                    packets.set(i, null); // handed over: the receive path must not release it again
                    call.onData(d, now);
                }
            } finally {
                call.endDatagram(now); // its every-other-packet ACK is owed, and sent once after the read (see Call)
            }
        } else if (t == PacketType.ACK) {
            call.onAck((AckPacket) first, now);
        } else if (t == PacketType.ABORT) {
            call.onAbort(((AbortPacket) first).abortCode(), now);
        } else if (t == PacketType.ACKALL) {
            call.onAckAll(now);
        } else if (t == PacketType.BUSY) {
            call.onBusy(now);
        } else {
            reject("UNEXPECTED_" + t.name(), null, null);
        }
    }

    private void onConnectionPacket(Connection conn, RxPacket p, long now) {
        PacketType t = p.header().type();
        if (t == PacketType.ABORT) {
            conn.abortAll(((AbortPacket) p).abortCode(), false, now);
            releaseHeld(conn);
        } else if (t == PacketType.RESPONSE && conn.role() == Connection.Role.SERVER) {
            onResponse(conn, (ResponsePacket) p, now);
        } else if (t == PacketType.CHALLENGE && conn.role() == Connection.Role.CLIENT) {
            onChallenge(conn, (ChallengePacket) p, now);
        } else {
            reject("UNEXPECTED_CONNECTION_" + t.name(), conn.peer().address(), null);
        }
    }

    // ---------------------------------------------------------------- security handshake

    private void sendChallenge(Connection conn) {
        if (conn.challengesSent() >= RxDefaults.CHALLENGE_MAX_SENDS) {
            // The client never answered: its waiting calls die as OpenAFS's do.
            conn.stopChallenging();
            conn.setResponseFailed();
            reject("CHALLENGE_UNANSWERED", conn.peer().address(), conn.toString());
            conn.abortAll(AbortCode.RX_CALL_DEAD.code(), true, loop.nanoTime());
            releaseHeld(conn);
            return;
        }
        WireHeader h = new WireHeader(
                conn.epoch(),
                conn.connectionId(),
                0,
                0,
                conn.nextSerials(1),
                PacketType.CHALLENGE,
                0,
                0,
                conn.securityIndex(),
                0,
                conn.serviceId());
        send(conn.serverSecurity().challenge(h).encode(alloc), conn.peer());
        conn.challengeSent(loop.schedule(
                () -> {
                    conn.stopChallenging();
                    if (!shutDown && !conn.serverSecurity().isAuthenticated() && conn.error() == 0) {
                        sendChallenge(conn);
                        sink.flush();
                    }
                },
                RxDefaults.CHALLENGE_RESEND_MILLIS * 1_000_000L));
    }

    private void onResponse(Connection conn, ResponsePacket r, long now) {
        ServerSecurity sec = conn.serverSecurity();
        if (!conn.challenging() || sec.isAuthenticated() || conn.responseFailed()) {
            // Unsolicited, late or repeated: answering would make us an oracle for guessed responses.
            reject("UNSOLICITED_RESPONSE", conn.peer().address(), null);
            return;
        }
        try {
            try {
                sec.verifyResponse(r);
            } catch (RuntimeException bug) {
                // A security class must not take the receive path down with it: its failure refuses the peer.
                log.warn(
                        "security class failed on a RESPONSE from {}",
                        conn.peer().address(),
                        bug);
                throw new RxSecurityException(AbortCode.RX_PROTOCOL_ERROR.code(), "SECURITY_CLASS_FAILED", null);
            }
        } catch (RxSecurityException e) {
            refuseResponse(conn, e);
            return;
        }
        conn.stopChallenging();
        ServiceListener service = services.get(conn.serviceId());
        for (Call held : conn.takeHeld()) {
            service.deliver(held);
        }
    }

    /** A RESPONSE that failed: the connection is refused with its code. */
    private void refuseResponse(Connection conn, RxSecurityException e) {
        reject("RESPONSE_" + e.reason(), conn.peer().address(), e.getMessage());
        conn.stopChallenging();
        conn.setResponseFailed();
        // The abort goes out a second later, as OpenAFS does, to slow down anyone guessing.
        int code = e.abortCode();
        loop.schedule(
                () -> {
                    if (!shutDown) {
                        abortConnection(conn, code);
                        sink.flush();
                    }
                },
                RxDefaults.RESPONSE_FAILURE_ABORT_DELAY_MILLIS * 1_000_000L);
    }

    /**
     * A RESPONSE or CHALLENGE the codec refused (too short, ticket too long, unknown version) is not just dropped:
     * on a connection that is waiting for it, the handshake fails with the security class's code for it (rxkad:
     * PACKETSHORT, TICKETLEN, INCONSISTENCY), as a failed verification would. Anywhere else it stays dropped (it
     * was counted by the caller), so a forged packet cannot tear down a connection that is not in a handshake.
     */
    private void malformedHandshake(ByteBuf datagram, InetSocketAddress from, MalformedPacketException e) {
        WireHeader h;
        try {
            h = WireHeader.decode(datagram);
        } catch (MalformedPacketException unreadable) {
            return;
        }
        if (h.callNumber() != 0 || shutDown) {
            return;
        }
        if (h.type() == PacketType.RESPONSE && h.isClientInitiated()) {
            Connection conn =
                    serverConns.get(new ServerConnKey(h.epoch(), h.connectionId(), h.epochIsKeyOnly() ? null : from));
            if (conn == null || conn.role() != Connection.Role.SERVER) {
                return;
            }
            if (!conn.challenging() || conn.serverSecurity().isAuthenticated() || conn.responseFailed()) {
                reject("UNSOLICITED_RESPONSE", from, null);
                return;
            }
            refuseResponse(conn, conn.serverSecurity().malformedResponse(e.reason(), e.getMessage()));
        } else if (h.type() == PacketType.CHALLENGE && !h.isClientInitiated() && h.epoch() == epoch) {
            Connection conn = clientConns.get(h.connectionId());
            if (conn == null
                    || conn.activeCalls() == 0
                    || !conn.peer().address().equals(from)) {
                return; // no call of ours waits for it: ignored, as a well-formed one would be
            }
            RxSecurityException x = conn.clientSecurity().malformedChallenge(e.reason(), e.getMessage());
            reject("CHALLENGE_" + x.reason(), from, x.getMessage());
            abortConnection(conn, x.abortCode());
        }
    }

    private void onChallenge(Connection conn, ChallengePacket c, long now) {
        if (conn.activeCalls() == 0) {
            // No call of ours is waiting: answering an idle connection would serve as an oracle.
            reject("IDLE_CHALLENGE", conn.peer().address(), null);
            return;
        }
        int[] callNumbers = new int[WireHeader.CHANNELS];
        for (int ch = 0; ch < WireHeader.CHANNELS; ch++) {
            callNumbers[ch] = conn.callNumber(ch);
        }
        WireHeader h = new WireHeader(
                conn.epoch(),
                conn.connectionId(),
                0,
                0,
                conn.nextSerials(1),
                PacketType.RESPONSE,
                PacketFlags.CLIENT_INITIATED,
                0,
                conn.securityIndex(),
                0,
                conn.serviceId());
        ResponsePacket r;
        try {
            try {
                r = conn.clientSecurity().respond(c, h, callNumbers);
            } catch (RuntimeException bug) {
                log.warn(
                        "security class failed on a CHALLENGE from {}",
                        conn.peer().address(),
                        bug);
                throw new RxSecurityException(AbortCode.RX_PROTOCOL_ERROR.code(), "SECURITY_CLASS_FAILED", null);
            }
        } catch (RxSecurityException e) {
            reject("CHALLENGE_" + e.reason(), conn.peer().address(), e.getMessage());
            abortConnection(conn, e.abortCode());
            return;
        }
        send(r.encode(alloc), conn.peer());
    }

    /** Aborts a connection: one connection-level ABORT to the peer, and every call ends with {@code code}. */
    private void abortConnection(Connection conn, int code) {
        int flags = conn.role() == Connection.Role.CLIENT ? PacketFlags.CLIENT_INITIATED : 0;
        WireHeader a = new WireHeader(
                conn.epoch(),
                conn.connectionId(),
                0,
                0,
                conn.nextSerials(1),
                PacketType.ABORT,
                flags,
                0,
                conn.securityIndex(),
                0,
                conn.serviceId());
        send(new AbortPacket(a, code).encode(alloc), conn.peer());
        conn.abortAll(code, false, loop.nanoTime());
        releaseHeld(conn);
    }

    /** Calls held for a handshake that will not complete never reach the application: refill their pool. */
    private void releaseHeld(Connection conn) {
        if (conn.role() != Connection.Role.SERVER) {
            return;
        }
        ServiceListener service = services.get(conn.serviceId());
        for (Call held : conn.takeHeld()) {
            if (service != null) {
                service.recharge();
            }
        }
    }

    // ---------------------------------------------------------------- client calls

    /**
     * Starts a client call to {@code serviceId} at {@code address} on a connection with a free channel, creating a
     * connection if none has one. The call sends nothing until the application writes.
     */
    public Call newClientCall(InetSocketAddress address, int serviceId, CallListener listener) {
        return newClientCall(address, serviceId, NullSecurity.INSTANCE, listener, false);
    }

    /**
     * As {@link #newClientCall(InetSocketAddress, int, CallListener)}; with {@code upgradeService} the call runs on a
     * connection that asks the server for a service upgrade (Linux's RXRPC_UPGRADE_SERVICE): a new connection's first
     * call carries the request and is alone on it until it ends, and {@link Call#serviceId()} says which service
     * answered once the server has been heard. Later upgrading calls reuse the settled connection.
     */
    public Call newClientCall(InetSocketAddress address, int serviceId, CallListener listener, boolean upgradeService) {
        return newClientCall(address, serviceId, NullSecurity.INSTANCE, listener, upgradeService);
    }

    /**
     * Starts a client call protected by {@code security} (its index goes on the wire; connections are shared only
     * with calls made with the same instance). See {@link #newClientCall(InetSocketAddress, int, CallListener)}.
     */
    public Call newClientCall(InetSocketAddress address, int serviceId, SecurityClass security, CallListener listener) {
        return newClientCall(address, serviceId, security, listener, false);
    }

    /** The general form: a client call with {@code security}, asking for a service upgrade when told to. */
    public Call newClientCall(
            InetSocketAddress address,
            int serviceId,
            SecurityClass security,
            CallListener listener,
            boolean upgradeService) {
        assert loop.inLoop();
        Objects.requireNonNull(security, "security");
        if (shutDown) {
            throw new IllegalStateException("endpoint is shut down");
        }
        long now = loop.nanoTime();
        Peer peer = peers.get(address);
        ClientBundleKey key = new ClientBundleKey(address, serviceId, security, upgradeService);
        // Connections of this bundle that may have a free channel: O(1) per call however many connections exist.
        java.util.ArrayDeque<Connection> available = bundles.computeIfAbsent(key, k -> new java.util.ArrayDeque<>());
        Connection conn = null;
        int ch = -1;
        while (!available.isEmpty()) {
            Connection c = available.peekFirst();
            int free = c.freeChannel();
            if (free >= 0 && c.error() == 0 && clientConns.get(c.connectionId()) == c) {
                conn = c;
                ch = free;
                break;
            }
            available.pollFirst();
            c.setListedAsAvailable(false);
        }
        if (conn == null) {
            int cid = nextCid;
            nextCid += WireHeader.CHANNELS;
            if (nextCid == 0) {
                nextCid = WireHeader.CHANNELS;
            }
            conn = new Connection(Connection.Role.CLIENT, this, peer, epoch, cid, serviceId, security.index());
            conn.setSecurity(security.newClientSecurity(new ConnectionParams(epoch, cid, security.index(), serviceId)));
            conn.setBundleKey(key);
            if (upgradeService) {
                conn.probeForUpgrade();
            }
            clientConns.put(conn.connectionId(), conn);
            available.addFirst(conn);
            conn.setListedAsAvailable(true);
            ch = 0;
        }
        Call call = new Call(Call.Role.CLIENT, config.callConfig());
        call.setListener(listener);
        conn.attach(call, ch, conn.callNumber(ch) + 1, now);
        return call;
    }

    // ---------------------------------------------------------------- Connection.Environment

    @Override
    public EngineLoop loop() {
        return loop;
    }

    @Override
    public ByteBufAllocator alloc() {
        return alloc;
    }

    @Override
    public void send(ByteBuf datagram, Peer to) {
        if (packetTrace.isTraceEnabled()) {
            traceOut(datagram, to.address());
        }
        if (datagram.readableBytes() >= WireHeader.SIZE) {
            int type = datagram.getUnsignedByte(datagram.readerIndex() + 20);
            if (type < packetsSent.length) {
                packetsSent[type]++;
            }
        }
        sink.send(datagram, to.address());
    }

    private static void traceOut(ByteBuf datagram, InetSocketAddress to) {
        List<RxPacket> decoded = new ArrayList<>();
        try {
            PacketCodec.decode(datagram.duplicate(), decoded);
            packetTrace.trace("out {} {}", to, decoded);
        } catch (MalformedPacketException e) {
            packetTrace.trace("out {} undecodable ({} bytes): {}", to, datagram.readableBytes(), e.getMessage());
        } finally {
            for (RxPacket p : decoded) {
                if (p instanceof DataPacket d) {
                    d.release();
                }
            }
        }
    }

    @Override
    public RxMetricsRecorder metrics() {
        return metrics;
    }

    @Override
    public void deferAck(Call call) {
        if (owedAcks.isEmpty()) {
            try {
                loop.execute(sendOwedAcks);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                return; // the loop is gone, and with it every call: there is nobody left to acknowledge
            }
        }
        owedAcks.add(call);
    }

    private void sendOwedAcks() {
        long now = loop.nanoTime();
        Call call;
        while ((call = owedAcks.poll()) != null) {
            call.sendOwedAck(now);
        }
        sink.flush();
    }

    @Override
    public void onCallComplete(Connection conn, Call call) {
        if (conn.role() == Connection.Role.CLIENT && !conn.listedAsAvailable() && conn.error() == 0) {
            java.util.ArrayDeque<Connection> available = bundles.get((ClientBundleKey) conn.bundleKey());
            if (available != null) {
                available.addLast(conn);
                conn.setListedAsAvailable(true);
            }
        }
        if (conn.role() == Connection.Role.SERVER) {
            activeServerCalls--;
            ServiceListener s = services.get(conn.serviceId());
            if (s != null) {
                s.onCallComplete();
            }
        }
    }

    // ---------------------------------------------------------------- replies made here

    private void sendBusy(WireHeader h, Connection conn, Peer peer) {
        int serial = conn != null ? conn.nextSerials(1) : 1;
        // An upgraded connection answers on the upgraded id, like every other packet on it.
        int serviceId = conn != null ? conn.serviceId() : h.serviceId();
        WireHeader b = new WireHeader(
                h.epoch(), h.cid(), h.callNumber(), 0, serial, PacketType.BUSY, 0, 0, h.securityIndex(), 0, serviceId);
        send(new BusyPacket(b).encode(alloc), peer);
        busiesSent++;
        metrics.busySent();
    }

    private void sendAbort(WireHeader h, Peer peer, int code) {
        if (h.type() == PacketType.ABORT) {
            return; // never answer an ABORT with an ABORT
        }
        int flags = h.isClientInitiated() ? 0 : PacketFlags.CLIENT_INITIATED;
        WireHeader a = new WireHeader(
                h.epoch(),
                h.cid(),
                h.callNumber(),
                0,
                1,
                PacketType.ABORT,
                flags,
                0,
                h.securityIndex(),
                0,
                h.serviceId());
        send(new AbortPacket(a, code).encode(alloc), peer);
    }

    private void abortUnknownType(ByteBuf datagram, InetSocketAddress from) {
        try {
            WireHeader h = WireHeader.decode(datagram);
            if (h.isClientInitiated()) {
                sendAbort(h.withType(PacketType.DATA), peers.get(from), AbortCode.RX_PROTOCOL_ERROR.code());
            }
        } catch (MalformedPacketException e) {
            // Cannot happen: BAD_TYPE is only raised after the header was read.
        }
    }

    private void onVersion(VersionPacket p, Peer peer) {
        if (!p.isRequest()) {
            return; // a NAT keepalive; nobody answers those
        }
        WireHeader h = p.header();
        WireHeader r = h.withFlags(h.flags() & ~PacketFlags.CLIENT_INITIATED);
        send(VersionPacket.reply(r, config.version()).encode(alloc), peer);
    }

    private void onDebug(DebugPacket p, Peer peer) {
        if (!p.isRequest()) {
            reject("DEBUG_REPLY", peer.address(), null);
            return;
        }
        WireHeader h = p.header();
        WireHeader r = h.withFlags(h.flags() & ~PacketFlags.CLIENT_INITIATED);
        int index = p.requestIndex();
        DebugPacket reply;
        switch (p.requestType()) {
            case DebugPacket.GETSTATS -> reply = DebugPacket.reply(r, debugStats());
            case DebugPacket.GETCONN, DebugPacket.GETALLCONN -> reply = DebugPacket.reply(r, debugConn(index));
            case DebugPacket.GETPEER -> reply = DebugPacket.reply(r, debugPeer(index));
            case DebugPacket.RXSTATS -> reply = DebugPacket.reply(r, rxStats());
            default -> reply = DebugPacket.badType(r);
        }
        send(reply.encode(alloc), peer);
    }

    private DebugStats debugStats() {
        int waiting = 0;
        for (ServiceListener s : services.values()) {
            waiting += s.activeCalls();
        }
        return new DebugStats(0, 0, (int) callsExecuted, 0, 1, DebugStats.VERSION_S, 0, waiting, 0, 0);
    }

    // rxdebug's GETCONN and GETPEER replies carry the host as a 32-bit IPv4 address: there is no way to say an IPv6
    // one. OpenAFS (IPv4-only) never has such peers; Linux answers DEBUG with an ABORT. We list the IPv4 ones only,
    // rather than show IPv6 peers as 0.0.0.0 or a bogus address; the counts in GETSTATS / RXSTATS include them all.
    private static boolean rxdebugCanShow(InetSocketAddress a) {
        return a.getAddress() instanceof Inet4Address;
    }

    private DebugConn debugConn(int index) {
        List<Connection> all = new ArrayList<>();
        for (Connection c : serverConns.values()) {
            if (rxdebugCanShow(c.peer().address())) {
                all.add(c);
            }
        }
        for (Connection c : clientConns.values()) {
            if (rxdebugCanShow(c.peer().address())) {
                all.add(c);
            }
        }
        if (index < 0 || index >= all.size()) {
            return DebugConn.END;
        }
        Connection c = all.get(index);
        int[] calls = new int[4];
        byte[] state = new byte[4];
        for (int ch = 0; ch < 4; ch++) {
            calls[ch] = c.callNumber(ch);
            Call call = c.call(ch);
            boolean ended = call == null ? c.callNumber(ch) != 0 : call.state() == CallState.COMPLETE;
            state[ch] = (byte) (ended ? 4 : call == null ? 0 : 2);
        }
        return new DebugConn(
                ipv4(c.peer().address()),
                c.connectionId(),
                c.serial(),
                calls,
                c.error(),
                c.peer().address().getPort(),
                0,
                c.role() == Connection.Role.SERVER ? 1 : 0,
                c.securityIndex(),
                state,
                new byte[4],
                new byte[4],
                new byte[4],
                new byte[DebugConn.SEC_STATS_SIZE],
                c.epoch(),
                config.callConfig().ifMtu());
    }

    private DebugPeer debugPeer(int index) {
        List<Peer> all = peers.all();
        all.removeIf(p -> !rxdebugCanShow(p.address()));
        if (index < 0 || index >= all.size()) {
            return DebugPeer.END;
        }
        Peer p = all.get(index);
        long srttMs = p.rtt().srttNanos() / 1_000_000L;
        long devMs = p.rtt().rttvarNanos() / 1_000_000L;
        long rto = p.rtt().rtoNanos();
        CallConfig cc = config.callConfig();
        dev.rxrpc.wire.AckTrailer adv =
                p.pathMtu().advertised(cc.maxMtu(), cc.ifMtu(), cc.jumboMaxPackets(), cc.receiveWindowPackets());
        int mtu = adv.ifMtu();
        int jumbo = Math.min(config.callConfig().jumboMaxPackets(), p.pathMtu().jumboLimit(loop.nanoTime()));
        return new DebugPeer(
                ipv4(p.address()),
                p.address().getPort(),
                mtu,
                0,
                p.connections(),
                0,
                0,
                0,
                0,
                (int) (srttMs << 3),
                (int) (devMs << 2),
                (int) (rto / 1_000_000_000L),
                (int) (rto % 1_000_000_000L / 1000),
                (int) p.packetsSent(),
                (int) p.packetsResent(),
                0,
                0,
                0,
                mtu,
                adv.maxMtu() & 0xffff,
                jumbo,
                jumbo,
                mtu,
                0,
                jumbo,
                0,
                (int) (p.bytesSent() >>> 32),
                (int) p.bytesSent(),
                (int) (p.bytesReceived() >>> 32),
                (int) p.bytesReceived());
    }

    private DebugRxStats rxStats() {
        int[] w = new int[DebugRxStats.WORDS];
        for (int t = 1; t <= 13; t++) {
            w[DebugRxStats.PACKETS_READ + t - 1] = (int) packetsRead[t];
            w[DebugRxStats.PACKETS_SENT + t - 1] = (int) packetsSent[t];
        }
        w[DebugRxStats.DATA_PACKETS_READ] = (int) packetsRead[PacketType.DATA.code()];
        w[DebugRxStats.ACK_PACKETS_READ] = (int) packetsRead[PacketType.ACK.code()];
        w[DebugRxStats.DATA_PACKETS_SENT] = (int) packetsSent[PacketType.DATA.code()];
        w[DebugRxStats.ACK_PACKETS_SENT] = (int) packetsSent[PacketType.ACK.code()];
        w[DebugRxStats.ABORT_PACKETS_SENT] = (int) packetsSent[PacketType.ABORT.code()];
        w[DebugRxStats.BUSY_PACKETS_SENT] = (int) busiesSent;
        w[DebugRxStats.N_SERVER_CONNS] = serverConns.size();
        w[DebugRxStats.N_CLIENT_CONNS] = clientConns.size();
        w[DebugRxStats.N_PEER_STRUCTS] = peers.size();
        w[DebugRxStats.MIN_RTT_SEC] = 9_999_999; // what OpenAFS reports before its first sample
        return new DebugRxStats(w);
    }

    private static int ipv4(InetSocketAddress a) {
        byte[] b = a.getAddress() instanceof Inet4Address v4 ? v4.getAddress() : new byte[4];
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    // ---------------------------------------------------------------- housekeeping

    /** Starts the periodic reaping of idle connections and peers. */
    public void start() {
        assert loop.inLoop();
        scheduleReap();
    }

    private void scheduleReap() {
        reaper = loop.schedule(this::reap, RxDefaults.REAP_INTERVAL_MILLIS * 1_000_000L);
    }

    private void reap() {
        if (shutDown) {
            return;
        }
        long now = loop.nanoTime();
        long idleBefore = now - config.connectionIdleNanos();
        serverConns.values().removeIf(c -> forgetIfIdle(c, idleBefore));
        clientConns.values().removeIf(c -> {
            boolean gone = forgetIfIdle(c, idleBefore);
            if (gone) {
                bundles.values().forEach(l -> l.remove(c));
            }
            return gone;
        });
        peers.reap(idleBefore);
        scheduleReap();
    }

    private static boolean forgetIfIdle(Connection c, long idleBefore) {
        if (c.activeCalls() == 0 && c.lastUsedNanos() - idleBefore < 0) {
            c.releaseAll();
            return true;
        }
        return false;
    }

    /**
     * Stops the endpoint: aborts every running call with {@code abortCode} (telling the peers) and forgets every
     * connection. Datagrams that arrive afterwards are dropped. Idempotent.
     */
    public void shutdown(int abortCode) {
        assert loop.inLoop();
        if (shutDown) {
            return;
        }
        shutDown = true;
        if (reaper != null) {
            reaper.cancel();
        }
        long now = loop.nanoTime();
        for (Connection c : serverConns.values()) {
            c.abortAll(abortCode, true, now);
            c.releaseAll();
        }
        for (Connection c : clientConns.values()) {
            c.abortAll(abortCode, true, now);
            c.releaseAll();
        }
        serverConns.clear();
        clientConns.clear();
        bundles.clear();
        sink.flush();
    }

    // ---------------------------------------------------------------- diagnostics

    private void reject(String reason, InetSocketAddress from, String detail) {
        long[] count = rejections.get(reason);
        if (count == null) {
            count = new long[1];
            rejections.put(reason, count);
        }
        count[0]++;
        metrics.packetRejected(reason);
        if (log.isDebugEnabled()) {
            log.debug("dropped datagram from {}: {}{}", from, reason, detail == null ? "" : " (" + detail + ")");
        }
    }

    /** Datagrams dropped, by reason. A copy. */
    public Map<String, Long> rejections() {
        Map<String, Long> copy = new HashMap<>();
        rejections.forEach((reason, count) -> copy.put(reason, count[0]));
        return copy;
    }

    /** Packets received of a type. */
    public long packetsRead(PacketType t) {
        return t.code() < packetsRead.length ? packetsRead[t.code()] : 0;
    }

    /** Packets sent of a type. */
    public long packetsSent(PacketType t) {
        return t.code() < packetsSent.length ? packetsSent[t.code()] : 0;
    }

    /** BUSY packets sent. */
    public long busiesSent() {
        return busiesSent;
    }

    /** PINGs of calls whose request had not arrived, answered (see {@code answerPingOfUnseenCall}). Loop only. */
    public long pingsOfUnseenCallsAnswered() {
        return pingsOfUnseenCallsAnswered;
    }

    /** Server connections moved to an upgraded service since start. */
    public long serviceUpgrades() {
        return serviceUpgrades;
    }

    /** Server connections held. */
    public int serverConnectionCount() {
        return serverConns.size();
    }

    /** Client connections held. */
    public int clientConnectionCount() {
        return clientConns.size();
    }

    /** Running server calls. */
    public int activeServerCalls() {
        return activeServerCalls;
    }

    /** The addresses of the peers known. A copy. */
    public List<java.net.InetAddress> peerAddresses() {
        List<java.net.InetAddress> out = new ArrayList<>();
        for (Peer p : peers.all()) {
            out.add(p.address().getAddress());
        }
        return out;
    }

    /** Peers known. */
    public int peerCount() {
        return peers.size();
    }

    /** The service with that id, or null. */
    public ServiceListener service(int serviceId) {
        return services.get(serviceId);
    }

    /** A copy of what the endpoint holds now, for diagnostics. Loop only; allocates, so not for the packet path. */
    public EndpointSnapshot snapshot() {
        assert loop.inLoop();
        long now = loop.nanoTime();
        List<EndpointSnapshot.ServiceInfo> svc = new ArrayList<>();
        for (ServiceListener s : services.values()) {
            svc.add(new EndpointSnapshot.ServiceInfo(
                    s.serviceId(),
                    s.backlog(),
                    s.poolLevel(),
                    s.activeCalls(),
                    s.admitted(),
                    s.busyCount(),
                    s.refusesNewCalls()));
        }
        List<EndpointSnapshot.PeerInfo> ps = new ArrayList<>();
        for (Peer p : peers.all()) {
            ps.add(new EndpointSnapshot.PeerInfo(
                    p.address(),
                    p.connections(),
                    p.rtt().hasSample() ? p.rtt().srttNanos() : 0,
                    p.rtt().rtoNanos(),
                    p.packetsSent(),
                    p.packetsResent(),
                    p.bytesSent(),
                    p.bytesReceived(),
                    now - p.lastHeardNanos()));
        }
        List<EndpointSnapshot.ConnectionInfo> cs = new ArrayList<>();
        List<EndpointSnapshot.CallInfo> calls = new ArrayList<>();
        List<Connection> all = new ArrayList<>(serverConns.values());
        all.addAll(clientConns.values());
        for (Connection c : all) {
            cs.add(new EndpointSnapshot.ConnectionInfo(
                    c.role().name(),
                    c.peer().address(),
                    c.epoch(),
                    c.connectionId(),
                    c.serviceId(),
                    c.securityIndex(),
                    c.activeCalls(),
                    c.serial(),
                    c.error(),
                    now - c.lastUsedNanos()));
            for (int ch = 0; ch < WireHeader.CHANNELS; ch++) {
                Call call = c.call(ch);
                if (call != null) {
                    calls.add(new EndpointSnapshot.CallInfo(
                            call.role().name(),
                            call.peerAddress(),
                            call.cid(),
                            call.callNumber(),
                            call.serviceId(),
                            call.state().name(),
                            call.completion() == null ? null : call.completion().name(),
                            call.abortCode(),
                            call.cwnd(),
                            call.inFlight(),
                            call.peerRwind(),
                            call.retransmits()));
                }
            }
        }
        return new EndpointSnapshot(
                epoch,
                List.copyOf(svc),
                List.copyOf(ps),
                List.copyOf(cs),
                List.copyOf(calls),
                busiesSent,
                Map.copyOf(rejections()));
    }
}
