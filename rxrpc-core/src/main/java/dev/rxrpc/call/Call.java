package dev.rxrpc.call;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.internal.EventLoopConfined;
import dev.rxrpc.internal.SeqMath;
import dev.rxrpc.loop.DeadlineTimer;
import dev.rxrpc.recovery.CongestionController;
import dev.rxrpc.recovery.NewRenoCongestionController;
import dev.rxrpc.recovery.RackLossDetector;
import dev.rxrpc.recovery.RttEstimator;
import dev.rxrpc.wire.AbortCode;
import dev.rxrpc.wire.AbortPacket;
import dev.rxrpc.wire.AckPacket;
import dev.rxrpc.wire.AckReason;
import dev.rxrpc.wire.AckTrailer;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.Jumbogram;
import dev.rxrpc.wire.PacketFlags;
import dev.rxrpc.wire.PacketType;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One Rx call, client or server side: the state machine of both directions, the inbound {@link ReceiveRing}, the
 * transmit buffer with its RTT, congestion and loss state, the ACK policy and the call's one timer.
 *
 * <p>Not thread-safe; every method runs on the owning endpoint's event loop, except the inbound ring's consumer
 * side, which the application's adapter drains from its own thread (see {@link ReceiveRing}). The only state field
 * is {@link #state()}; transitions happen in the {@code on...} input methods and the {@code app...} methods.
 *
 * <p>Ownership: DATA packets passed to {@link #onData} belong to the call from then on. Transmit buffers are
 * released when the peer hard-ACKs them or the call completes.
 */
@EventLoopConfined
public final class Call {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Call.class);

    /** Which end of the connection this call is. */
    public enum Role {
        CLIENT,
        SERVER
    }

    private static final int TX_CAPACITY = 256;
    /** Slots before the first growth: a small call's whole flight. */
    private static final int TX_INITIAL_CAPACITY = 8;

    private static final int SERIAL_HISTORY = 64;
    private static final long NONE = Long.MIN_VALUE;

    private final Role role;
    private final CallConfig config;
    private final ReceiveRing rx;
    // Indexed by seq & txMask over the seqs not yet hard-ACKed. They start small and double as the flight grows (at
    // most five times per call, up to TX_CAPACITY): a small call zeroes a few hundred bytes, not the 8 KB that
    // 256-slot arrays here and in RACK cost, which was a fifth of the loop's time in a small-call profile.
    private DataPacket[] txBuf = new DataPacket[TX_INITIAL_CAPACITY];
    private boolean[] txSoftAcked = new boolean[TX_INITIAL_CAPACITY];
    private boolean[] txLost = new boolean[TX_INITIAL_CAPACITY];
    private int txMask = TX_INITIAL_CAPACITY - 1;
    private final int[] serialHistory = new int[SERIAL_HISTORY];
    private final long[] serialSentAt = new long[SERIAL_HISTORY];
    // Subpackets in the datagram each serial travelled in: an ACK naming the serial proves that size gets through.
    private final byte[] serialSubpackets = new byte[SERIAL_HISTORY];
    // Subpackets in the datagram each packet first travelled in, for the path-MTU fall-back after a timeout.
    private byte[] txSubpackets = new byte[TX_INITIAL_CAPACITY];
    private final byte[] ackScratch = new byte[AckPacket.MAX_ACKS];

    private CallState state;
    private CallCompletion completion;
    private int abortCode;

    private CallHost host;
    private DeadlineTimer timer;
    private CallListener listener = CallListener.NONE;
    private Object userContext;
    private int epoch;
    private int cid;
    private int callNumber;
    private int serviceId;
    private int securityIndex;
    private boolean serviceUpgradeRequested;

    // receive side
    private int rxUnacked;
    private int ackCauseSerial;
    private AckReason pendingAck;
    // The every-other-packet (or REQUESTED) ACK that the packets of a datagram earned, with the serial of the packet
    // that earned it; endDatagram hands it to the host, whose task sends it (sendOwedAck).
    private boolean ackOwed;
    private boolean ackDeferred;
    private AckReason ackOwedReason;
    private int ackOwedSerial;
    private long ackDue = NONE;
    // Our last ACK goes once more at this time unless DATA arrives first (see RxDefaults.ACK_REPEAT_MIN_MILLIS); once
    // per quiet spell: DATA re-arms it.
    private long ackRepeatDue = NONE;
    private boolean ackRepeatArmed;
    private int lastAdvertisedWindow;
    private int lastAckFirstPacket = 1;

    // transmit side
    private int txHard;
    private int txSent;
    // RFC 6675's pipe, kept as the seqs' flags change: it is read on every ACK and every pump, and scanning the flight
    // for it cost 5-14 % of the loop in bulk profiles. Assertions cross-check it against the scan.
    private int pipeCount;
    private int txQueued;
    private int txLast;
    private ByteBuf txFill;
    private final ArrayDeque<ByteBuffer> pendingOut = new ArrayDeque<>(2);
    private boolean appSendDone;
    private int peerRwind;
    private int peerJumboMax;
    private RttEstimator rtt;
    private CongestionController cc;
    private RackLossDetector rack;
    private long rtoDue = NONE;

    // inbound consumer
    private boolean consumerAttached;
    private boolean consumerDone;
    private boolean inboundReleased;
    private boolean pinged;
    private int busyCount;
    private boolean busyRetry;

    // liveness
    private long startNanos;
    private long lastHeardNanos;
    private long lastProgressNanos;
    private long keepaliveDue = NONE;
    private int retransmits;

    /**
     * A call object ready to be activated, as the preallocation pool holds it: its buffers exist, so activating it
     * on the receive path allocates no call state. Two kinds grow later, on the loop, only for calls that need them:
     * the transmit arrays as the flight grows, and the inbound ring's slot array when a second packet arrives.
     */
    public Call(Role role, CallConfig config) {
        this.role = role;
        this.config = config;
        this.rx = new ReceiveRing(config.receiveWindowPackets(), 1);
        this.state = role == Role.CLIENT ? CallState.CLIENT_SEND_REQUEST : CallState.SERVER_RECV_REQUEST;
    }

    // ------------------------------------------------------------------ activation

    /**
     * Binds this call to a connection channel. {@code cid} includes the channel bits. Must be called once, before any
     * other input.
     */
    public void activate(
            CallHost host, int epoch, int cid, int callNumber, int serviceId, int securityIndex, long nowNanos) {
        assert host.loop().inLoop();
        this.host = host;
        this.epoch = epoch;
        this.cid = cid;
        this.callNumber = callNumber;
        this.serviceId = serviceId;
        this.securityIndex = securityIndex;
        this.timer = new DeadlineTimer(host.loop(), this::onTimer);
        this.rtt = RttEstimator.forDeadTimeout(config.deadTimeoutNanos());
        this.rtt.copyFrom(host.peerRtt());
        this.cc = new NewRenoCongestionController();
        this.rack = new RackLossDetector();
        this.peerRwind = RxDefaults.INITIAL_PEER_RWIND_PACKETS;
        this.peerJumboMax = 1;
        this.lastAdvertisedWindow = config.receiveWindowPackets();
        this.startNanos = nowNanos;
        this.lastHeardNanos = nowNanos;
        this.lastProgressNanos = nowNanos;
        rearm(nowNanos);
    }

    /**
     * Client: the first DATA packet asks the server to upgrade the service (Linux's RXRPC_UPGRADE_SERVICE). Before
     * {@link #activate}.
     */
    public void requestServiceUpgrade() {
        serviceUpgradeRequested = true;
    }

    /** Client: the server answers on an upgraded service id; packets made from now on carry it. Loop only. */
    public void adoptServiceId(int upgradedServiceId) {
        serviceId = upgradedServiceId;
    }

    /** Attaches the application's adapter; it gets every later event. */
    public void setListener(CallListener listener) {
        this.listener = listener == null ? CallListener.NONE : listener;
    }

    /** The application's per-call context object, from the preallocation pool or the client. */
    public Object userContext() {
        return userContext;
    }

    /** Sets the per-call context object. */
    public void setUserContext(Object userContext) {
        this.userContext = userContext;
    }

    /**
     * The application's adapter starts draining the inbound ring from its own thread; from now on only it may
     * release what the ring holds, through {@link #consumerDone()}.
     */
    public void attachConsumer() {
        consumerAttached = true;
    }

    /** The adapter stopped draining (completed, failed or cancelled): the ring's remaining packets are released. */
    public void consumerDone() {
        consumerDone = true;
        releaseInbound();
    }

    /**
     * Releases the inbound ring if nobody drains it any more: called when the channel is reused or the connection
     * forgotten. A consumer still draining keeps it until it calls {@link #consumerDone()}.
     */
    public void releaseInbound() {
        if (!inboundReleased && (!consumerAttached || consumerDone)) {
            inboundReleased = true;
            rx.discard();
        }
    }

    // ------------------------------------------------------------------ queries

    /** The call's phase. */
    public CallState state() {
        return state;
    }

    /** How the call ended, or null while it runs. */
    public CallCompletion completion() {
        return completion;
    }

    /** The abort code, if aborted; else 0. */
    public int abortCode() {
        return abortCode;
    }

    /** Client or server end. */
    public Role role() {
        return role;
    }

    /** The inbound data ring (request on a server call, reply on a client call). */
    public ReceiveRing inbound() {
        return rx;
    }

    /** The peer's address (it may change when the epoch keys the connection alone). */
    public java.net.InetSocketAddress peerAddress() {
        return host.peerAddress();
    }

    /** Connection epoch. */
    public int epoch() {
        return epoch;
    }

    /** Connection id with the channel bits. */
    public int cid() {
        return cid;
    }

    /** Channel 0..3. */
    public int channel() {
        return cid & WireHeader.CHANNEL_MASK;
    }

    /** Call number on the channel. */
    public int callNumber() {
        return callNumber;
    }

    /** Service id. */
    public int serviceId() {
        return serviceId;
    }

    /** Security class index. */
    public int securityIndex() {
        return securityIndex;
    }

    /**
     * The connection's packet security, which the consumer uses to open inbound packets. Valid once activated; the
     * object is safe to use from the drain thread (see {@link dev.rxrpc.security.PacketSecurity}).
     */
    public dev.rxrpc.security.PacketSecurity security() {
        return host.security();
    }

    /** The call's RTT estimate (for diagnostics). */
    public RttEstimator rtt() {
        return rtt;
    }

    /** The current congestion window in packets. */
    public int cwnd() {
        return cc.cwnd();
    }

    /** The peer's advertised receive window, clamped. */
    public int peerRwind() {
        return peerRwind;
    }

    /** Data packets retransmitted by this call. */
    public int retransmits() {
        return retransmits;
    }

    /** Outbound packets sent but not yet hard-ACKed. */
    public int inFlight() {
        return txSent - txHard;
    }

    /** The window we advertised last. */
    public int lastAdvertisedWindow() {
        return lastAdvertisedWindow;
    }

    // ------------------------------------------------------------------ inbound packets

    /**
     * A DATA packet of this call arrived; the call takes ownership. The caller ends the packets of each datagram (one,
     * or a jumbogram's subpackets) with {@link #endDatagram}, which hands on the ACK they earned.
     */
    public void onData(DataPacket p, long nowNanos) {
        assert host.loop().inLoop();
        lastHeardNanos = nowNanos;
        ackRepeatDue = NONE;
        ackRepeatArmed = true;
        int serial = p.header().serial();
        switch (state) {
            case CLIENT_SEND_REQUEST, CLIENT_AWAIT_REPLY -> {
                // Reply data means the server has the whole request.
                hardAckAllSent(nowNanos);
                state = CallState.CLIENT_RECV_REPLY;
                cancelPendingAck();
                insert(p, serial, nowNanos);
            }
            case CLIENT_RECV_REPLY, SERVER_RECV_REQUEST -> {
                insert(p, serial, nowNanos);
                if (role == Role.SERVER
                        && !pinged
                        && !rtt.hasSample()
                        && state != CallState.COMPLETE
                        && host.claimRttProbe(nowNanos)) {
                    // Learn the client's RTT now, so that a lost reply packet is resent after an RTO, not a second.
                    pinged = true;
                    sendPing(nowNanos);
                }
            }
            case SERVER_ACK_REQUEST, SERVER_SEND_REPLY, SERVER_AWAIT_ACK -> {
                // The request is complete: this is a retransmission because our ACK was lost.
                p.release();
                sendAck(AckReason.DUPLICATE, serial, nowNanos);
            }
            case COMPLETE -> {
                p.release();
                resendFinalState(serial, nowNanos);
            }
        }
        rearm(nowNanos);
    }

    /**
     * Ends the packets of one datagram handed to {@link #onData}: the every-other-packet ACK they earned, if none went
     * since, is handed to the host, which sends it from a loop task queued behind the work this datagram caused
     * ({@link #sendOwedAck}). Loop only.
     *
     * <p>Why: acknowledging every other packet (the Rx convention) sent two ACKs per 4-packet jumbogram, 127 k ACKs for
     * 59 k datagrams of a 320 MiB upload from an OpenAFS client; each costs us an encode and a send and the sender a
     * receive and a parse. Owed, the ACK then goes after the loop has drained what arrived (a loop-delivered reader
     * runs in a task queued before it), so one ACK both soft-ACKs the datagrams of a whole receive batch and carries
     * the hard-ACK point the reader moved. OpenAFS counts its 32-packet window from that point, so it was the second
     * ACK, sent after the read, that let it go on: a 256 MiB upload from OpenAFS's client drew 1.29 ACKs per datagram,
     * and sending them was a third of our receiving loop's CPU (perf: sendmmsg and sendto, with the loopback delivery
     * to the peer that each send runs). The ACK still leaves in the same loop pass as the datagrams it answers, so the
     * sender's ACK clock keeps its pace.
     */
    public void endDatagram(long nowNanos) {
        assert host.loop().inLoop();
        if (ackOwed && !ackDeferred) {
            ackDeferred = true;
            host.deferAck(this);
        }
    }

    /**
     * The host's loop task for an ACK owed by {@link #endDatagram}: sent now unless another ACK went since (or the call
     * ended). Loop only.
     */
    public void sendOwedAck(long nowNanos) {
        assert host.loop().inLoop();
        ackDeferred = false;
        // Any ACK sent since cleared the debt.
        if (ackOwed && state != CallState.COMPLETE) {
            sendAck(ackOwedReason, ackOwedSerial, nowNanos);
            rearm(nowNanos);
        }
    }

    /**
     * An ACK is owed for the datagram being handed in (see {@link #endDatagram}). A REQUESTED one keeps answering the
     * serial that asked for it (the sender's RTT sample is keyed by it) unless a later packet asks again.
     */
    private void oweAck(AckReason reason, int serial) {
        if (ackOwed && ackOwedReason.equals(AckReason.REQUESTED) && !reason.equals(AckReason.REQUESTED)) {
            return;
        }
        ackOwed = true;
        ackOwedReason = reason;
        ackOwedSerial = serial;
    }

    private void insert(DataPacket p, int serial, long nowNanos) {
        boolean requested = p.header().hasFlags(PacketFlags.REQUEST_ACK);
        int before = rx.contiguous();
        ReceiveRing.Insert result = rx.insert(p);
        switch (result) {
            case IN_ORDER -> {
                rxUnacked++;
                lastProgressNanos = nowNanos;
                if (rx.isFullyReceived()) {
                    onInboundComplete(serial, nowNanos);
                } else if (requested || rxUnacked >= config.ackEveryPackets()) {
                    oweAck(requested ? AckReason.REQUESTED : AckReason.DELAY, serial);
                } else {
                    scheduleAck(AckReason.DELAY, serial, nowNanos);
                }
            }
            case OUT_OF_ORDER -> {
                lastProgressNanos = nowNanos;
                if (rx.isFullyReceived()) {
                    onInboundComplete(serial, nowNanos);
                } else {
                    sendAck(requested ? AckReason.REQUESTED : AckReason.OUT_OF_SEQUENCE, serial, nowNanos);
                }
            }
            case DUPLICATE -> sendAck(AckReason.DUPLICATE, serial, nowNanos);
            case EXCEEDS_WINDOW -> sendAck(AckReason.EXCEEDS_WINDOW, serial, nowNanos);
            case PROTOCOL_ERROR -> {
                abort(AbortCode.RX_PROTOCOL_ERROR.code(), nowNanos);
                return;
            }
        }
        if (rx.contiguous() != before) {
            listener.onInboundReady(this);
        }
    }

    private void onInboundComplete(int serial, long nowNanos) {
        if (role == Role.CLIENT) {
            // The final ACK tells the server it may free the reply; resent if the server retransmits.
            sendAck(AckReason.IDLE, serial, nowNanos);
            complete(CallCompletion.SUCCEEDED, 0, nowNanos);
        } else if (txQueued != 0 || appSendDone) {
            // The application replied before the request was complete; its queued reply may go now.
            state = appSendDone ? CallState.SERVER_AWAIT_ACK : CallState.SERVER_SEND_REPLY;
            pump(nowNanos);
        } else {
            state = CallState.SERVER_ACK_REQUEST;
            // The reply normally acknowledges the request; ACK only if the application is slow to start it.
            scheduleAck(AckReason.IDLE, serial, nowNanos);
        }
    }

    /** An ACK of this call arrived. */
    public void onAck(AckPacket ack, long nowNanos) {
        assert host.loop().inLoop();
        lastHeardNanos = nowNanos;
        AckReason reason = ack.reason();
        if (reason.equals(AckReason.PING)) {
            sendPingResponse(ack.header().serial(), nowNanos);
        }
        if (ack.trailer() != null) {
            AckTrailer t = ack.trailer().clamped();
            peerRwind = Math.min(t.rwind(), config.maxSendWindowPackets());
            // The peer's jumbo_max, and no more subpackets than fit in the largest datagram it says it accepts.
            int fit = dev.rxrpc.peer.PathMtu.jumboFit(t.maxMtu());
            peerJumboMax = Math.max(1, Math.min(Math.min(t.jumboMax(), fit), config.jumboMaxPackets()));
        }
        noteDelivered(ack.serial());
        takeRttSample(reason, ack.serial(), nowNanos);
        if (state == CallState.COMPLETE) {
            return;
        }
        if (isSending() || txSent != txHard) {
            processAcks(ack.firstPacket(), ack.acks(), nowNanos);
        }
        pump(nowNanos);
        rearm(nowNanos);
    }

    /** The peer acknowledged everything (ACKALL). */
    public void onAckAll(long nowNanos) {
        lastHeardNanos = nowNanos;
        if (state != CallState.COMPLETE) {
            hardAckAllSent(nowNanos);
            pump(nowNanos);
            rearm(nowNanos);
        }
    }

    /** The peer aborted the call. */
    public void onAbort(int code, long nowNanos) {
        lastHeardNanos = nowNanos;
        if (state != CallState.COMPLETE) {
            complete(CallCompletion.REMOTELY_ABORTED, code, nowNanos);
        }
    }

    /**
     * The server said BUSY: it has not taken the call. The request is resent after a short delay that doubles with
     * each BUSY up to a second, without touching the RTT estimate: the server is alive, just full.
     */
    public void onBusy(long nowNanos) {
        lastHeardNanos = nowNanos;
        if (role != Role.CLIENT || state == CallState.CLIENT_RECV_REPLY || state == CallState.COMPLETE) {
            return;
        }
        long delay =
                Math.min(RxDefaults.BUSY_RETRY_MAX_MILLIS, RxDefaults.BUSY_RETRY_MIN_MILLIS << Math.min(busyCount, 10))
                        * 1_000_000L;
        // Calls refused together would otherwise retry together and be refused together: spread them over
        // 50..150 % of the delay, by a hash of the call's identity so that runs stay deterministic.
        int h = (cid * 0x9e3779b1) ^ (callNumber * 0x85ebca6b) ^ busyCount;
        h ^= h >>> 15;
        delay = delay / 2 + (delay * (h & 0xff)) / 256;
        busyCount++;
        busyRetry = true;
        rtoDue = nowNanos + delay;
        rearm(nowNanos);
    }

    private void noteDelivered(int ackSerial) {
        int i = ackSerial & (SERIAL_HISTORY - 1);
        if (ackSerial != 0 && serialHistory[i] == ackSerial && serialSubpackets[i] > 1) {
            host.onDatagramDelivered(serialSubpackets[i]);
        }
    }

    private void takeRttSample(AckReason reason, int ackSerial, long nowNanos) {
        // Only ACKs sent at once name a transmission whose send time is the whole round trip.
        boolean immediate = reason.equals(AckReason.REQUESTED)
                || reason.equals(AckReason.PING_RESPONSE)
                || reason.equals(AckReason.DUPLICATE)
                || reason.equals(AckReason.OUT_OF_SEQUENCE)
                || reason.equals(AckReason.EXCEEDS_WINDOW);
        if (!immediate || ackSerial == 0) {
            return;
        }
        int i = ackSerial & (SERIAL_HISTORY - 1);
        if (serialHistory[i] == ackSerial && serialSentAt[i] != NONE) {
            long sample = nowNanos - serialSentAt[i];
            serialSentAt[i] = NONE;
            if (sample >= 0) {
                rtt.onSample(sample);
                host.peerRtt().copyFrom(rtt);
                host.metrics().rttSample(sample);
            }
        }
    }

    private void processAcks(int firstPacket, byte[] acks, long nowNanos) {
        int hard = firstPacket - 1;
        if (SeqMath.after(hard, txSent)) {
            // The peer claims packets we never sent: a confused or hostile peer.
            abort(AbortCode.RX_PROTOCOL_ERROR.code(), nowNanos);
            return;
        }
        int newlyAcked = 0;
        int highestAcked = txHard;
        if (SeqMath.after(hard, txHard)) {
            for (int s = txHard + 1; SeqMath.beforeOrEqual(s, hard); s++) {
                if (!txSoftAcked[s & txMask]) {
                    newlyAcked++;
                }
                freeTx(s);
            }
            txHard = hard;
            highestAcked = hard;
            rack.onHardAcked(firstPacket);
            lastProgressNanos = nowNanos;
        }
        long minRtt = rtt.hasSample() ? rtt.minRttNanos() : 0;
        for (int k = 0; k < acks.length; k++) {
            int s = firstPacket + k;
            if (SeqMath.after(s, txSent)) {
                break;
            }
            if (SeqMath.beforeOrEqual(s, txHard)) {
                continue;
            }
            int i = s & txMask;
            boolean acked = (acks[k] & 1) != 0;
            if (acked && !txSoftAcked[i]) {
                if (!txLost[i]) {
                    pipeCount--;
                }
                txSoftAcked[i] = true;
                txLost[i] = false;
                newlyAcked++;
                highestAcked = SeqMath.max(highestAcked, s);
                rack.onAcked(s, 0, nowNanos, minRtt);
            } else if (!acked && txSoftAcked[i]) {
                txSoftAcked[i] = false;
                pipeCount++;
                rack.onReneged(s);
            }
        }
        if (newlyAcked > 0) {
            cc.onPacketsAcked(newlyAcked, highestAcked, nowNanos);
            rtoDue = pipe() > 0 ? nowNanos + rtt.rtoNanos() : NONE;
        }
        detectLoss(nowNanos);
        if (state == CallState.SERVER_AWAIT_ACK && txLast != 0 && (txHard == txLast || replySoftAcked())) {
            complete(CallCompletion.SUCCEEDED, 0, nowNanos);
        }
    }

    /**
     * Whether every reply packet not yet hard-ACKed has been soft-ACKed. OpenAFS clients soft-ACK the last reply of a
     * channel and never hard-ACK it unless another call follows; OpenAFS servers count that as delivered (rx_EndCall
     * goes to DALLY once tfirst + nSoftAcked reaches tnext), and so do we.
     */
    private boolean replySoftAcked() {
        for (int s = txHard + 1; SeqMath.beforeOrEqual(s, txLast); s++) {
            if (!txSoftAcked[s & txMask]) {
                return false;
            }
        }
        return true;
    }

    private void detectLoss(long nowNanos) {
        long window = RackLossDetector.reorderWindowNanos(
                rtt.hasSample() ? rtt.minRttNanos() : rtt.rtoNanos(), rtt.srttNanos());
        rack.detectLost(nowNanos, window, this::markLost);
    }

    private void markLost(int seq) {
        int i = seq & txMask;
        if (txBuf[i] != null && !txSoftAcked[i] && !txLost[i]) {
            txLost[i] = true;
            pipeCount--;
            cc.onCongestionEvent(seq, txSent, host.loop().nanoTime());
        }
    }

    private void hardAckAllSent(long nowNanos) {
        for (int s = txHard + 1; SeqMath.beforeOrEqual(s, txSent); s++) {
            freeTx(s);
        }
        txHard = txSent;
        rack.onHardAcked(txSent + 1);
        rtoDue = NONE;
        if (state == CallState.SERVER_AWAIT_ACK && txLast != 0 && txHard == txLast) {
            complete(CallCompletion.SUCCEEDED, 0, nowNanos);
        }
    }

    private void freeTx(int seq) {
        int i = seq & txMask;
        if (!txSoftAcked[i] && !txLost[i]) {
            pipeCount--;
        }
        DataPacket p = txBuf[i];
        if (p != null) {
            txBuf[i] = null;
            p.release();
        }
        txSoftAcked[i] = false;
        txLost[i] = false;
    }

    // ------------------------------------------------------------------ application input

    /**
     * Hands outbound bytes to the call (request on a client call, reply on a server call). The call keeps a reference
     * to {@code data} and cuts it into packets as the send window opens; the caller must not touch the buffer again.
     * Call this only after {@link CallListener#onSendWindowOpen}, one buffer per signal, so that at most one buffer
     * waits here: memory stays bounded by the window. Returns false if the call can no longer send (completed, or
     * already finished sending): the bytes are then dropped and the caller should stop.
     */
    public boolean appSend(ByteBuffer data, long nowNanos) {
        assert host.loop().inLoop();
        if (!canSend()) {
            return false;
        }
        startSending(nowNanos);
        if (data.hasRemaining()) {
            pendingOut.add(data);
        }
        lastProgressNanos = nowNanos;
        pump(nowNanos);
        rearm(nowNanos);
        return true;
    }

    /** The application has no more to send: the last packet goes out with LAST_PACKET. */
    public void appSendComplete(long nowNanos) {
        assert host.loop().inLoop();
        if (!canSend()) {
            return;
        }
        startSending(nowNanos);
        appSendDone = true;
        if (role == Role.CLIENT) {
            state = CallState.CLIENT_AWAIT_REPLY;
        } else if (state != CallState.SERVER_RECV_REQUEST) {
            state = CallState.SERVER_AWAIT_ACK;
        }
        pump(nowNanos);
        rearm(nowNanos);
    }

    /** Whether the call holds no unsent application data, so the adapter may hand it more. */
    public boolean wantsMoreData() {
        return pendingOut.isEmpty() && !appSendDone && state != CallState.COMPLETE;
    }

    /**
     * Cuts pending application bytes into packets while the window has room. The last full packet stays unqueued
     * until we know whether more data follows, so that LAST_PACKET rides on a data packet, not an empty one.
     */
    private void packetize(int window) {
        while (SeqMath.distance(txHard, txQueued) < window) {
            ByteBuffer head = pendingOut.peek();
            if (head == null) {
                break;
            }
            if (txFill != null && !txFill.isWritable()) {
                queueFill(false);
                continue;
            }
            if (txFill == null) {
                int room = host.security().maxUserData(host.maxDataPerPacket());
                txFill = host.alloc().directBuffer(room, room);
            }
            int n = Math.min(head.remaining(), txFill.writableBytes());
            int limit = head.limit();
            head.limit(head.position() + n);
            txFill.writeBytes(head);
            head.limit(limit);
            if (!head.hasRemaining()) {
                pendingOut.poll();
            }
        }
        if (appSendDone && pendingOut.isEmpty() && txLast == 0 && SeqMath.distance(txHard, txQueued) < window) {
            if (txFill == null) {
                txFill = host.alloc().directBuffer(0, 0);
            }
            queueFill(true);
        }
    }

    /** The application aborts the call with {@code code}; the peer is told. Idempotent once complete. */
    public void appAbort(int code, long nowNanos) {
        assert host.loop().inLoop();
        if (state != CallState.COMPLETE) {
            abort(code, nowNanos);
        }
    }

    /**
     * The application consumed inbound packets: if the window we last advertised was small, send an ACK that opens
     * it, so that a peer stopped by a slow reader resumes.
     */
    public void onConsumerProgress(long nowNanos) {
        assert host.loop().inLoop();
        if (state == CallState.COMPLETE && role == Role.CLIENT) {
            return;
        }
        int now = rx.advertisedWindow();
        int half = config.receiveWindowPackets() / 2;
        if (lastAdvertisedWindow <= half && now > half) {
            sendProgressAck(nowNanos);
        } else if (rx.consumed() + 1 != lastAckFirstPacket && !rx.isFullyReceived()) {
            if (!rx.hasReady() && lastAckFirstPacket <= rx.contiguous()) {
                // The application has caught up with everything that arrived, which our last ACK only soft-ACKed.
                // A sender that counts its window from our hard-ACK point (OpenAFS: 32 packets) is waiting for it.
                sendProgressAck(nowNanos);
            } else {
                // The sender counts its window from our hard-ACK point: tell it that point moved, soon.
                scheduleAck(AckReason.IDLE, 0, nowNanos);
            }
        }
        rearm(nowNanos);
    }

    // The ACK for what the application consumed. One still owed for the datagrams consumed goes now as this one, with
    // their reason and serial, so that a REQUEST_ACK is answered with the serial the sender's RTT sample needs.
    private void sendProgressAck(long nowNanos) {
        if (ackOwed) {
            sendAck(ackOwedReason, ackOwedSerial, nowNanos);
        } else {
            sendAck(AckReason.IDLE, 0, nowNanos);
        }
    }

    private boolean canSend() {
        if (state == CallState.COMPLETE || appSendDone) {
            return false;
        }
        return role == Role.CLIENT ? state == CallState.CLIENT_SEND_REQUEST : state != CallState.SERVER_AWAIT_ACK;
    }

    private void startSending(long nowNanos) {
        if (role == Role.SERVER && state == CallState.SERVER_ACK_REQUEST) {
            // Our reply acknowledges the request: the delayed ACK is no longer needed.
            state = CallState.SERVER_SEND_REPLY;
            cancelPendingAck();
        }
    }

    private boolean isSending() {
        return state == CallState.CLIENT_SEND_REQUEST
                || state == CallState.CLIENT_AWAIT_REPLY
                || state == CallState.SERVER_SEND_REPLY
                || state == CallState.SERVER_AWAIT_ACK;
    }

    private void queueFill(boolean last) {
        int seq = txQueued + 1;
        int flags = (role == Role.CLIENT ? PacketFlags.CLIENT_INITIATED : 0) | (last ? PacketFlags.LAST_PACKET : 0);
        int userStatus = seq == 1 && serviceUpgradeRequested ? WireHeader.USERSTATUS_SERVICE_UPGRADE : 0;
        WireHeader h = new WireHeader(
                epoch, cid, callNumber, seq, 0, PacketType.DATA, flags, userStatus, securityIndex, 0, serviceId);
        if (SeqMath.distance(txHard, seq) >= txBuf.length) {
            growTx(seq);
        }
        // Sealed once here: retransmissions resend the same protected bytes.
        txBuf[seq & txMask] = host.security().seal(new DataPacket(h, txFill), host.alloc());
        txFill = null;
        txQueued = seq;
        if (last) {
            txLast = seq;
        }
    }

    /** Doubles the send-side arrays until {@code seq} fits beside every seq not yet hard-ACKed. */
    private void growTx(int seq) {
        int capacity = txBuf.length;
        while (SeqMath.distance(txHard, seq) >= capacity) {
            capacity <<= 1;
        }
        if (capacity > TX_CAPACITY) {
            throw new IllegalStateException("seq " + Integer.toUnsignedString(seq) + " is " + TX_CAPACITY
                    + " or more past the hard-ACK point " + Integer.toUnsignedString(txHard));
        }
        int mask = capacity - 1;
        DataPacket[] buf = new DataPacket[capacity];
        boolean[] softAcked = new boolean[capacity];
        boolean[] lost = new boolean[capacity];
        byte[] subpackets = new byte[capacity];
        for (int s = txHard + 1; SeqMath.beforeOrEqual(s, txQueued); s++) {
            int from = s & txMask;
            int to = s & mask;
            buf[to] = txBuf[from];
            softAcked[to] = txSoftAcked[from];
            lost[to] = txLost[from];
            subpackets[to] = txSubpackets[from];
        }
        txBuf = buf;
        txSoftAcked = softAcked;
        txLost = lost;
        txSubpackets = subpackets;
        txMask = mask;
    }

    // ------------------------------------------------------------------ transmission

    /** How far past the hard-ACK point we may send: the peer's receive window, capped by ours. */
    private int sendWindow() {
        return Math.max(1, Math.min(peerRwind, config.maxSendWindowPackets()));
    }

    /** Packets in the network: sent, neither soft-ACKed nor given up as lost (RFC 6675's pipe). */
    private int pipe() {
        assert pipeCount == scanPipe() : "pipe " + pipeCount + " but the flight holds " + scanPipe();
        return pipeCount;
    }

    private int scanPipe() {
        int n = 0;
        for (int s = txHard + 1; SeqMath.beforeOrEqual(s, txSent); s++) {
            int i = s & txMask;
            if (!txSoftAcked[i] && !txLost[i]) {
                n++;
            }
        }
        return n;
    }

    private void pump(long nowNanos) {
        if (state == CallState.COMPLETE) {
            return;
        }
        if (state == CallState.SERVER_RECV_REQUEST) {
            // A reply may not start before the whole request is in: the client would take it as a hard-ACK of all.
            return;
        }
        int window = sendWindow();
        int cwnd = Math.max(1, cc.cwnd());
        int jumbo = Math.min(peerJumboMax, host.jumboLimit(nowNanos));
        // Lost packets first: they hold the hard-ACK point back.
        for (int s = txHard + 1; SeqMath.beforeOrEqual(s, txSent) && pipeCount < cwnd; s++) {
            int i = s & txMask;
            if (txLost[i] && txBuf[i] != null && !txSoftAcked[i]) {
                txLost[i] = false;
                pipeCount++;
                transmit(List.of(txBuf[i]), true, nowNanos);
                retransmits++;
                host.metrics().retransmitted();
            }
        }
        packetize(window);
        List<DataPacket> batch = null;
        while (SeqMath.before(txSent, txQueued) && SeqMath.distance(txHard, txSent + 1) <= window && pipeCount < cwnd) {
            int room = Math.min(window - SeqMath.distance(txHard, txSent), cwnd - pipeCount);
            int n = Math.min(Math.min(jumbo, room), SeqMath.distance(txSent, txQueued));
            if (n < jumbo && pipeCount > 0 && (SeqMath.distance(txSent, txQueued) > n || !pendingOut.isEmpty())) {
                // Only the window is short and more data waits: rather than a partial datagram now, a fuller one
                // when the next ACK comes, which the packets in flight guarantee (or their RTO does). Each datagram
                // costs the receiver a system call and a split, and OpenAFS's receiver is what limits a bulk
                // transfer from us.
                break;
            }
            if (batch == null) {
                batch = new ArrayList<>(n);
            }
            batch.clear();
            for (int k = 1; k <= n; k++) {
                DataPacket p = txBuf[(txSent + k) & txMask];
                batch.add(p);
                // Only full 1412-byte packets may be followed by another subpacket; an upgrade request goes alone
                // because every subpacket of a jumbogram shares the first one's userStatus.
                if (p.length() != DataPacket.JUMBO_DATA_SIZE
                        || p.isLast()
                        || p.header().userStatus() != 0) {
                    break;
                }
            }
            transmit(batch, false, nowNanos);
            txSent += batch.size();
            pipeCount += batch.size();
        }
        if (SeqMath.before(txSent, txQueued)) {
            host.metrics().windowStall();
        }
        if (pipeCount > 0 && rtoDue == NONE) {
            if (!rtt.hasSample() && host.peerRtt().hasSample()) {
                // Another call to the peer has measured it since this one started.
                rtt.copyFrom(host.peerRtt());
            }
            rtoDue = nowNanos + rtt.rtoNanos();
        }
        if (pendingOut.isEmpty() && !appSendDone && isSendingPhaseOpen()) {
            int free = window - SeqMath.distance(txHard, txQueued);
            if (free > 0) {
                listener.onSendWindowOpen(this, free);
            }
        }
    }

    private boolean isSendingPhaseOpen() {
        return state == CallState.CLIENT_SEND_REQUEST
                || state == CallState.SERVER_SEND_REPLY
                || state == CallState.SERVER_ACK_REQUEST
                || state == CallState.SERVER_RECV_REQUEST;
    }

    private void transmit(List<DataPacket> packets, boolean retransmission, long nowNanos) {
        int n = packets.size();
        int serial = host.nextSerials(n);
        int lastSeq = packets.get(n - 1).seq();
        // Ask for an ACK at the end of each flight and on every retransmission: it clocks the window and yields an RTT
        // sample even for one-packet calls.
        boolean endOfFlight =
                retransmission || lastSeq == txQueued || SeqMath.distance(txHard, lastSeq) >= sendWindow();
        if (endOfFlight
                && !retransmission
                && role == Role.CLIENT
                && (packets.get(n - 1).header().flags() & PacketFlags.LAST_PACKET) != 0
                && !host.claimRttRefresh(nowNanos)) {
            // The reply acknowledges the whole request; a lost last packet is still caught by the RTO.
            endOfFlight = false;
        }
        List<DataPacket> wire = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            DataPacket p = packets.get(k);
            int flags = p.header().flags() & ~(PacketFlags.JUMBO_PACKET | PacketFlags.REQUEST_ACK);
            if (k < n - 1) {
                flags |= PacketFlags.JUMBO_PACKET;
            } else if (endOfFlight) {
                flags |= PacketFlags.REQUEST_ACK;
            }
            WireHeader h = p.header()
                    .withSubpacket(p.seq(), serial + k, flags, p.header().checksum());
            wire.add(new DataPacket(h, p.payload()));
            int i = p.seq() & txMask;
            if (!retransmission) {
                txSubpackets[i] = (byte) n;
            }
            rememberSerial(serial + k, nowNanos);
            serialSubpackets[(serial + k) & (SERIAL_HISTORY - 1)] = (byte) n;
            rack.onSent(p.seq(), serial + k, nowNanos);
        }
        if (txSent == 0 && role == Role.CLIENT && !retransmission) {
            // The peer can only answer once it has heard from us: silence counts from the first packet, not from
            // when the call object was made (a busy loop may sit seconds between the two).
            lastHeardNanos = nowNanos;
        }
        ByteBuf datagram = Jumbogram.encode(wire, host.alloc());
        host.transmit(datagram);
        host.metrics().packetSent(PacketType.DATA.code());
        if (!pinged && !rtt.hasSample() && host.claimRttProbe(nowNanos)) {
            // Small calls never yield an RTT from ACKs: without this probe a lost packet waits out the initial RTO.
            pinged = true;
            sendPing(nowNanos);
        }
        if (role == Role.SERVER && state == CallState.SERVER_ACK_REQUEST) {
            state = CallState.SERVER_SEND_REPLY;
        }
    }

    private void rememberSerial(int serial, long nowNanos) {
        int i = serial & (SERIAL_HISTORY - 1);
        serialHistory[i] = serial;
        serialSentAt[i] = nowNanos;
    }

    // ------------------------------------------------------------------ ACKs we send

    private void scheduleAck(AckReason reason, int causeSerial, long nowNanos) {
        if (pendingAck == null) {
            pendingAck = reason;
            ackCauseSerial = causeSerial;
            ackDue = nowNanos + config.ackDelayNanos();
        }
    }

    private void cancelPendingAck() {
        pendingAck = null;
        ackDue = NONE;
    }

    private void sendAck(AckReason reason, int causeSerial, long nowNanos) {
        cancelPendingAck();
        rxUnacked = 0;
        ackOwed = false;
        boolean all = rx.isFullyReceived();
        int first = all ? rx.lastSeq() + 1 : rx.consumed() + 1;
        int n = all ? 0 : rx.softAcks(first, ackScratch);
        byte[] acks = new byte[n];
        System.arraycopy(ackScratch, 0, acks, 0, n);
        int window = all ? config.receiveWindowPackets() : rx.advertisedWindow();
        lastAdvertisedWindow = window;
        lastAckFirstPacket = first;
        sendAckPacket(reason, 0, causeSerial, first, rx.top(), acks, window, nowNanos);
        if (ackRepeatArmed && !all && isReceiving()) {
            ackRepeatDue = nowNanos + ackRepeatDelayNanos();
        }
        host.metrics().ackSent(reason.code());
    }

    private boolean isReceiving() {
        return state == CallState.CLIENT_RECV_REPLY || state == CallState.SERVER_RECV_REQUEST;
    }

    private long ackRepeatDelayNanos() {
        long min = RxDefaults.ACK_REPEAT_MIN_MILLIS * 1_000_000L;
        long max = RxDefaults.ACK_REPEAT_MAX_MILLIS * 1_000_000L;
        RttEstimator r = rtt.hasSample() ? rtt : host.peerRtt();
        return r.hasSample() ? Math.max(min, Math.min(max, 2 * r.srttNanos())) : max;
    }

    private void sendPingResponse(int pingSerial, long nowNanos) {
        boolean all = rx.isFullyReceived();
        int first = all ? rx.lastSeq() + 1 : rx.consumed() + 1;
        sendAckPacket(
                AckReason.PING_RESPONSE, 0, pingSerial, first, rx.top(), new byte[0], rx.advertisedWindow(), nowNanos);
        host.metrics().ackSent(AckReason.PING_RESPONSE.code());
    }

    /** Sends a PING: the answer gives an RTT sample and proves the peer alive. */
    public void sendPing(long nowNanos) {
        assert host.loop().inLoop();
        if (state == CallState.COMPLETE) {
            return;
        }
        int serial = sendAckPacket(
                AckReason.PING,
                PacketFlags.REQUEST_ACK,
                0,
                rx.consumed() + 1,
                rx.top(),
                new byte[0],
                rx.advertisedWindow(),
                nowNanos);
        rememberSerial(serial, nowNanos);
        host.metrics().ackSent(AckReason.PING.code());
    }

    private int sendAckPacket(
            AckReason reason,
            int extraFlags,
            int causeSerial,
            int first,
            int previous,
            byte[] acks,
            int window,
            long nowNanos) {
        int serial = host.nextSerials(1);
        int flags = (role == Role.CLIENT ? PacketFlags.CLIENT_INITIATED : 0) | PacketFlags.SLOW_START_OK | extraFlags;
        WireHeader h = new WireHeader(
                epoch, cid, callNumber, 0, serial, PacketType.ACK, flags, 0, securityIndex, 0, serviceId);
        AckTrailer trailer = host.ackTrailer(config, window);
        AckPacket ack = AckPacket.of(h, first, previous, causeSerial, reason, acks, trailer);
        host.transmit(ack.encode(host.alloc()));
        host.metrics().packetSent(PacketType.ACK.code());
        return serial;
    }

    private void resendFinalState(int causeSerial, long nowNanos) {
        if (completion == CallCompletion.SUCCEEDED && role == Role.CLIENT) {
            sendAck(AckReason.DUPLICATE, causeSerial, nowNanos);
        } else if (completion == CallCompletion.LOCALLY_ABORTED || completion == CallCompletion.NETWORK_ERROR) {
            sendAbortPacket(abortCode);
        }
    }

    // ------------------------------------------------------------------ ending

    private void abort(int code, long nowNanos) {
        sendAbortPacket(code);
        complete(CallCompletion.LOCALLY_ABORTED, code, nowNanos);
    }

    private void sendAbortPacket(int code) {
        int flags = role == Role.CLIENT ? PacketFlags.CLIENT_INITIATED : 0;
        WireHeader h = new WireHeader(
                epoch,
                cid,
                callNumber,
                0,
                host.nextSerials(1),
                PacketType.ABORT,
                flags,
                0,
                securityIndex,
                0,
                serviceId);
        host.transmit(new AbortPacket(h, code).encode(host.alloc()));
        host.metrics().packetSent(PacketType.ABORT.code());
    }

    private void complete(CallCompletion how, int code, long nowNanos) {
        if (state == CallState.COMPLETE) {
            return;
        }
        state = CallState.COMPLETE;
        completion = how;
        abortCode = code;
        cancelPendingAck();
        rtoDue = NONE;
        keepaliveDue = NONE;
        for (int i = 0; i < txBuf.length; i++) {
            DataPacket p = txBuf[i];
            if (p != null) {
                txBuf[i] = null;
                p.release();
            }
        }
        if (txFill != null) {
            txFill.release();
            txFill = null;
        }
        pendingOut.clear();
        timer.disarm();
        host.metrics().callCompleted(how.name(), code);
        host.onCallComplete(this);
        listener.onComplete(this, how, code);
    }

    /**
     * Ends the call because the endpoint is shutting down or the connection died: aborts it with {@code code} (sent
     * to the peer when {@code tellPeer}) unless it has already ended.
     */
    public void terminate(int code, boolean tellPeer, long nowNanos) {
        if (state == CallState.COMPLETE) {
            return;
        }
        if (tellPeer) {
            sendAbortPacket(code);
        }
        complete(tellPeer ? CallCompletion.LOCALLY_ABORTED : CallCompletion.NETWORK_ERROR, code, nowNanos);
    }

    // ------------------------------------------------------------------ timer

    private void rearm(long nowNanos) {
        if (state == CallState.COMPLETE || timer == null) {
            return;
        }
        long next = deadlineOfSilence();
        if (ackDue != NONE) {
            next = Math.min(next, ackDue);
        }
        if (rtoDue != NONE) {
            next = Math.min(next, rtoDue);
        }
        if (rack.hasReorderDeadline()) {
            next = Math.min(next, rack.reorderDeadlineNanos());
        }
        if (ackRepeatDue != NONE) {
            next = Math.min(next, ackRepeatDue);
        }
        if (waitingOnPeer()) {
            if (keepaliveDue == NONE) {
                keepaliveDue = nowNanos + config.keepaliveNanos();
            }
            next = Math.min(next, keepaliveDue);
        } else {
            keepaliveDue = NONE;
        }
        if (config.idleTimeoutNanos() > 0) {
            next = Math.min(next, lastProgressNanos + config.idleTimeoutNanos());
        }
        if (config.hardTimeoutNanos() > 0) {
            next = Math.min(next, startNanos + config.hardTimeoutNanos());
        }
        timer.arm(next);
    }

    private long deadlineOfSilence() {
        // A client that has sent nothing yet has no peer to lose; its application is just slow.
        return role == Role.CLIENT && txSent == 0 ? Long.MAX_VALUE / 2 : lastHeardNanos + config.deadTimeoutNanos();
    }

    private boolean waitingOnPeer() {
        if (pipe() > 0) {
            return false; // the retransmission timer watches the peer
        }
        return role == Role.CLIENT
                ? txSent != 0
                : state == CallState.SERVER_SEND_REPLY || state == CallState.SERVER_AWAIT_ACK;
    }

    private void onTimer(long nowNanos) {
        if (state == CallState.COMPLETE) {
            return;
        }
        if (nowNanos - deadlineOfSilence() >= 0) {
            log.info("peer silent past the dead time: {}", describeState(nowNanos));
            sendAbortPacket(AbortCode.RX_CALL_DEAD.code());
            complete(CallCompletion.NETWORK_ERROR, AbortCode.RX_CALL_DEAD.code(), nowNanos);
            return;
        }
        if (config.hardTimeoutNanos() > 0 && nowNanos - (startNanos + config.hardTimeoutNanos()) >= 0) {
            abort(AbortCode.RX_CALL_TIMEOUT.code(), nowNanos);
            return;
        }
        if (config.idleTimeoutNanos() > 0 && nowNanos - (lastProgressNanos + config.idleTimeoutNanos()) >= 0) {
            log.info("no data moved for the idle time: {}", describeState(nowNanos));
            abort(AbortCode.RX_CALL_TIMEOUT.code(), nowNanos);
            return;
        }
        if (ackDue != NONE && nowNanos - ackDue >= 0) {
            sendAck(pendingAck == null ? AckReason.DELAY : pendingAck, ackCauseSerial, nowNanos);
        }
        if (ackRepeatDue != NONE && nowNanos - ackRepeatDue >= 0) {
            // No DATA since our last ACK: it may have been lost, and the sender may be waiting for it.
            ackRepeatDue = NONE;
            ackRepeatArmed = false;
            if (isReceiving() && !rx.isFullyReceived()) {
                sendAck(AckReason.IDLE, 0, nowNanos);
                host.metrics().ackRepeated();
            }
        }
        if (rack.hasReorderDeadline() && nowNanos - rack.reorderDeadlineNanos() >= 0) {
            detectLoss(nowNanos);
            pump(nowNanos);
        }
        if (rtoDue != NONE && nowNanos - rtoDue >= 0) {
            onRetransmitTimeout(nowNanos);
        }
        if (keepaliveDue != NONE && nowNanos - keepaliveDue >= 0) {
            keepaliveDue = nowNanos + config.keepaliveNanos();
            sendPing(nowNanos);
        }
        rearm(nowNanos);
    }

    private void onRetransmitTimeout(long nowNanos) {
        rtoDue = NONE;
        if (inFlight() <= 0) {
            return;
        }
        boolean afterBusy = busyRetry;
        busyRetry = false;
        if (!afterBusy) {
            rtt.onRetransmitTimeout();
        }
        boolean anyUnacked = false;
        int largestLost = 0;
        for (int s = txHard + 1; SeqMath.beforeOrEqual(s, txSent); s++) {
            int i = s & txMask;
            if (txBuf[i] != null && !txSoftAcked[i]) {
                if (!txLost[i]) {
                    pipeCount--;
                }
                txLost[i] = true;
                anyUnacked = true;
                largestLost = Math.max(largestLost, txSubpackets[i]);
            }
        }
        if (!afterBusy && largestLost > 1 && host.onTimeoutLoss(largestLost, nowNanos)) {
            // Lost data goes again as single packets (retransmissions always do); new data keeps to the lowered size.
            log.debug("jumbograms of {} subpackets lost to a timeout; limiting datagram size to {}", largestLost, this);
        }
        if (anyUnacked) {
            if (!afterBusy) {
                cc.onRetransmitTimeout(txSent, nowNanos);
            }
            pump(nowNanos);
            rtoDue = nowNanos + rtt.rtoNanos();
        }
        // Otherwise everything is soft-ACKed: the peer holds it but has not consumed it, and will send an ACK when
        // its window reopens; the keepalive ping covers that ACK being lost.
    }

    /** A one-line account of the call's transmit state, for logs when a call fails. */
    public String describeState(long nowNanos) {
        return this + " sent=" + txSent + " hard=" + txHard + " queued=" + txQueued + " last=" + txLast + " pipe="
                + pipe() + " cwnd=" + cc.cwnd() + " rwind=" + peerRwind + " rto=" + rtt.rtoNanos() / 1_000_000
                + "ms busy=" + busyCount + " heardAgo=" + (nowNanos - lastHeardNanos) / 1_000_000 + "ms rx[consumed="
                + rx.consumed() + " top=" + rx.top() + " last=" + rx.lastSeq() + "] retransmits=" + retransmits;
    }

    @Override
    public String toString() {
        return "Call[" + role + " cid=0x" + Integer.toHexString(cid) + " call=" + Integer.toUnsignedString(callNumber)
                + " service=" + serviceId + " " + state + (completion != null ? " " + completion + " " + abortCode : "")
                + "]";
    }
}
