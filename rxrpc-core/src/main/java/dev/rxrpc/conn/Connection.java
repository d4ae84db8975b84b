package dev.rxrpc.conn;

import dev.rxrpc.call.Call;
import dev.rxrpc.call.CallConfig;
import dev.rxrpc.call.CallHost;
import dev.rxrpc.call.CallState;
import dev.rxrpc.internal.EventLoopConfined;
import dev.rxrpc.loop.EngineLoop;
import dev.rxrpc.metrics.RxMetricsRecorder;
import dev.rxrpc.peer.Peer;
import dev.rxrpc.recovery.RttEstimator;
import dev.rxrpc.wire.AckTrailer;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One Rx connection: (epoch, cid) with a peer, a service and a security class, four call channels, and the serial
 * counter every packet sent on it draws from. Event-loop confined.
 */
@EventLoopConfined
public final class Connection implements CallHost {

    /** Which end of the connection we are. */
    public enum Role {
        CLIENT,
        SERVER
    }

    /** How the connection reaches the network and the endpoint's shared services. */
    public interface Environment {
        /** The endpoint's loop. */
        EngineLoop loop();

        /** Buffers. */
        ByteBufAllocator alloc();

        /** Sends a datagram; takes ownership. */
        void send(ByteBuf datagram, Peer to);

        /** Metrics. */
        RxMetricsRecorder metrics();

        /** Call tunables. */
        CallConfig callConfig();

        /** A call of this connection completed. */
        void onCallComplete(Connection conn, Call call);

        /** Runs {@code call.sendOwedAck} from a loop task queued behind those queued so far. */
        void deferAck(Call call);
    }

    private final Role role;
    private final Environment env;
    private final int epoch;
    private final int connectionId;
    private final int securityIndex;
    private int serviceId;
    // Client only: the first call asks the server to upgrade the service; until it ends it is the only call here.
    private boolean probingForUpgrade;
    private boolean upgrading;
    private final int requestedServiceId;
    private final Call[] calls = new Call[WireHeader.CHANNELS];
    private final int[] callNumbers = new int[WireHeader.CHANNELS];
    // Server: how each channel's last call ended, kept once the call object is let go, so that an idle connection
    // holds no call (a completed Call with its transmit and receive arrays is ~10 KiB; 100,000 idle connections would
    // pin a gigabyte). Index = channel; null while a call runs or before the first.
    private final dev.rxrpc.call.CallCompletion[] ended = new dev.rxrpc.call.CallCompletion[WireHeader.CHANNELS];
    private final int[] endedAbortCodes = new int[WireHeader.CHANNELS];
    private Peer peer;
    private int serial;
    private int activeCalls;
    private long lastUsedNanos;
    private int error;
    private boolean listedAsAvailable;
    private dev.rxrpc.security.PacketSecurity security = dev.rxrpc.security.NullSecurity.INSTANCE;
    // Server calls that arrived before the security handshake finished: handed to the application once it has.
    private java.util.ArrayList<Call> heldCalls;
    private dev.rxrpc.loop.Cancellable challengeTimer;
    private int challengesSent;
    private boolean responseFailed;
    private Object bundleKey;

    public Connection(
            Role role, Environment env, Peer peer, int epoch, int connectionId, int serviceId, int securityIndex) {
        this.role = role;
        this.env = env;
        this.peer = peer;
        this.epoch = epoch;
        this.connectionId = connectionId & ~WireHeader.CHANNEL_MASK;
        this.serviceId = serviceId;
        this.requestedServiceId = serviceId;
        this.securityIndex = securityIndex;
        peer.addConnection();
    }

    /** Client or server end. */
    public Role role() {
        return role;
    }

    /** The connection's epoch. */
    public int epoch() {
        return epoch;
    }

    /** The cid with channel bits clear. */
    public int connectionId() {
        return connectionId;
    }

    /** The service the connection is bound to: on an upgraded connection, the upgraded one. */
    public int serviceId() {
        return serviceId;
    }

    /**
     * Client: asks for a service upgrade on this new connection's first call (userStatus
     * {@link WireHeader#USERSTATUS_SERVICE_UPGRADE} on its first DATA packet). Until that call ends no other call
     * gets a channel here, so that every later call knows which service it talks to. Loop only; before the first call.
     */
    public void probeForUpgrade() {
        probingForUpgrade = true;
        upgrading = true;
    }

    /** Whether this client connection was made for calls that ask for a service upgrade. */
    public boolean upgrading() {
        return upgrading;
    }

    /** The service id the connection was made for, before any upgrade. */
    public int requestedServiceId() {
        return requestedServiceId;
    }

    /** Whether the first call's service-upgrade request is still unanswered or running. */
    public boolean probingForUpgrade() {
        return probingForUpgrade;
    }

    /**
     * Client: the server answered the upgrade request on another service id; this connection and its calls use that
     * one from now on.
     */
    public void adoptServiceId(int upgradedServiceId) {
        serviceId = upgradedServiceId;
        for (Call c : calls) {
            if (c != null && c.state() != CallState.COMPLETE) {
                c.adoptServiceId(upgradedServiceId);
            }
        }
    }

    /** The security class index. */
    public int securityIndex() {
        return securityIndex;
    }

    /** The connection's security object (rxnull unless set). */
    @Override
    public dev.rxrpc.security.PacketSecurity security() {
        return security;
    }

    /** Installs the security object made by the connection's security class; before the first call. */
    public void setSecurity(dev.rxrpc.security.PacketSecurity security) {
        this.security = java.util.Objects.requireNonNull(security, "security");
    }

    /** The server end of the security handshake; only on server connections. */
    public dev.rxrpc.security.ServerSecurity serverSecurity() {
        return (dev.rxrpc.security.ServerSecurity) security;
    }

    /** The client end of the security handshake; only on client connections. */
    public dev.rxrpc.security.ClientSecurity clientSecurity() {
        return (dev.rxrpc.security.ClientSecurity) security;
    }

    /** Keeps a new server call from the application until the handshake completes. */
    public void hold(Call call) {
        if (heldCalls == null) {
            heldCalls = new java.util.ArrayList<>(WireHeader.CHANNELS);
        }
        heldCalls.add(call);
    }

    /** Takes the calls held for the handshake (possibly none). */
    public java.util.List<Call> takeHeld() {
        if (heldCalls == null || heldCalls.isEmpty()) {
            return java.util.List.of();
        }
        java.util.List<Call> out = new java.util.ArrayList<>(heldCalls);
        heldCalls.clear();
        return out;
    }

    /** Whether the CHALLENGE is outstanding: sent, and neither answered well nor given up. */
    public boolean challenging() {
        return challengeTimer != null;
    }

    /** CHALLENGE packets sent so far. */
    public int challengesSent() {
        return challengesSent;
    }

    /** Records a CHALLENGE sent and the timer that resends it. */
    public void challengeSent(dev.rxrpc.loop.Cancellable resend) {
        challengesSent++;
        challengeTimer = resend;
    }

    /** Stops resending the CHALLENGE. */
    public void stopChallenging() {
        if (challengeTimer != null) {
            challengeTimer.cancel();
            challengeTimer = null;
        }
    }

    /** Whether a RESPONSE failed verification (its abort is pending or sent): later ones are ignored. */
    public boolean responseFailed() {
        return responseFailed;
    }

    /** Marks the connection's handshake as failed. */
    public void setResponseFailed() {
        responseFailed = true;
    }

    /** The endpoint's key of the client bundle this connection belongs to (opaque here). */
    public Object bundleKey() {
        return bundleKey;
    }

    /** Sets the bundle key; client connections only. */
    public void setBundleKey(Object key) {
        bundleKey = key;
    }

    /** The peer. */
    public Peer peer() {
        return peer;
    }

    /** Follows the peer to a new address (allowed when the epoch keys the connection alone). */
    public void movePeer(Peer newPeer) {
        peer.removeConnection();
        peer = newPeer;
        peer.addConnection();
    }

    /**
     * The call on a channel, or null. A client connection keeps its last completed call here; a server connection
     * lets it go on completion and keeps only {@link #endedHow} and {@link #endedAbortCode}.
     */
    public Call call(int channel) {
        return calls[channel];
    }

    /** Server: how the channel's last call ended once it was let go; null while one runs or before the first. */
    public dev.rxrpc.call.CallCompletion endedHow(int channel) {
        return ended[channel];
    }

    /** Server: the abort code of the channel's last ended call (0 unless it was aborted). */
    public int endedAbortCode(int channel) {
        return endedAbortCodes[channel];
    }

    /** The current call number of a channel, 0 if none yet. */
    public int callNumber(int channel) {
        return callNumbers[channel];
    }

    /** Calls that have not completed. */
    public int activeCalls() {
        return activeCalls;
    }

    /** The next serial the connection will use. */
    public int serial() {
        return serial + 1;
    }

    /** The connection-level error, 0 if none. */
    public int error() {
        return error;
    }

    /** When a call last started or ended here. */
    public long lastUsedNanos() {
        return lastUsedNanos;
    }

    /** Whether the endpoint's list of client connections with a free channel holds this one. Loop only. */
    public boolean listedAsAvailable() {
        return listedAsAvailable;
    }

    /** Marks whether the endpoint's free-channel list holds this connection. Loop only. */
    public void setListedAsAvailable(boolean listed) {
        listedAsAvailable = listed;
    }

    /** A channel with no running call, or -1. */
    public int freeChannel() {
        if (probingForUpgrade && activeCalls > 0) {
            return -1;
        }
        for (int ch = 0; ch < WireHeader.CHANNELS; ch++) {
            Call c = calls[ch];
            if (c == null || c.state() == CallState.COMPLETE) {
                return ch;
            }
        }
        return -1;
    }

    /**
     * Installs {@code call} as call {@code callNumber} of {@code channel} and activates it. The previous call on the
     * channel, which must be complete, is released.
     */
    public void attach(Call call, int channel, int callNumber, long nowNanos) {
        Call prev = calls[channel];
        if (prev != null) {
            prev.releaseInbound();
        }
        calls[channel] = call;
        callNumbers[channel] = callNumber;
        ended[channel] = null;
        endedAbortCodes[channel] = 0;
        activeCalls++;
        lastUsedNanos = nowNanos;
        if (probingForUpgrade) {
            call.requestServiceUpgrade();
        }
        call.activate(this, epoch, connectionId | channel, callNumber, serviceId, securityIndex, nowNanos);
    }

    /** Aborts every running call (connection-level ABORT or shutdown). */
    public void abortAll(int code, boolean tellPeer, long nowNanos) {
        error = code;
        stopChallenging();
        for (Call c : calls) {
            if (c != null) {
                c.terminate(code, tellPeer, nowNanos);
            }
        }
    }

    /** Releases the completed calls' inbound buffers; the connection is being forgotten. */
    public void releaseAll() {
        for (int ch = 0; ch < calls.length; ch++) {
            if (calls[ch] != null) {
                calls[ch].releaseInbound();
            }
        }
        peer.removeConnection();
    }

    // ---------------------------------------------------------------- CallHost

    @Override
    public java.net.InetSocketAddress peerAddress() {
        return peer.address();
    }

    @Override
    public EngineLoop loop() {
        return env.loop();
    }

    @Override
    public ByteBufAllocator alloc() {
        return env.alloc();
    }

    @Override
    public int nextSerials(int count) {
        int first = serial + 1;
        // Serial 0 means "no serial" in ACKs, so a block that would contain it starts again at 1 (as Linux skips 0).
        if (first == 0 || Integer.compareUnsigned(first, first + count - 1) > 0) {
            first = 1;
        }
        serial = first + count - 1;
        return first;
    }

    @Override
    public void transmit(ByteBuf datagram) {
        peer.onSent(datagram.readableBytes());
        env.send(datagram, peer);
    }

    @Override
    public CallConfig config() {
        return env.callConfig();
    }

    @Override
    public RttEstimator peerRtt() {
        return peer.rtt();
    }

    @Override
    public boolean claimRttProbe(long nowNanos) {
        return peer.claimRttProbe(nowNanos, dev.rxrpc.RxDefaults.RTT_PROBE_INTERVAL_MILLIS * 1_000_000L);
    }

    @Override
    public boolean claimRttRefresh(long nowNanos) {
        return peer.claimRttRefresh(nowNanos, dev.rxrpc.RxDefaults.RTT_REFRESH_INTERVAL_MILLIS * 1_000_000L);
    }

    @Override
    public RxMetricsRecorder metrics() {
        return env.metrics();
    }

    @Override
    public int maxDataPerPacket() {
        return peer.pathMtu().maxDataPerPacket();
    }

    @Override
    public int jumboLimit(long nowNanos) {
        return peer.pathMtu().jumboLimit(nowNanos);
    }

    @Override
    public void onDatagramDelivered(int subpackets) {
        peer.pathMtu().onDelivered(subpackets);
    }

    @Override
    public void deferAck(Call call) {
        env.deferAck(call);
    }

    @Override
    public boolean onTimeoutLoss(int subpackets, long nowNanos) {
        return peer.pathMtu().onTimeoutLoss(subpackets, nowNanos);
    }

    @Override
    public AckTrailer ackTrailer(CallConfig c, int rwind) {
        return peer.pathMtu().advertised(c.maxMtu(), c.ifMtu(), c.jumboMaxPackets(), rwind);
    }

    @Override
    public void onCallComplete(Call call) {
        activeCalls--;
        int ch = call.channel();
        if (role == Role.SERVER && calls[ch] == call) {
            // What a late packet of this call needs (see LocalEndpoint) fits in two fields; the call itself goes, with
            // its inbound ring once the application has stopped reading it.
            ended[ch] = call.completion();
            endedAbortCodes[ch] = call.abortCode();
            calls[ch] = null;
            call.releaseInbound();
        }
        // The probe is over whichever way it went: the connection's service id is settled.
        probingForUpgrade = false;
        lastUsedNanos = env.loop().nanoTime();
        env.onCallComplete(this, call);
    }

    @Override
    public String toString() {
        return "Connection[" + role + " epoch=" + Integer.toUnsignedString(epoch) + " cid=0x"
                + Integer.toHexString(connectionId) + " service=" + serviceId + " peer=" + peer.address() + "]";
    }
}
