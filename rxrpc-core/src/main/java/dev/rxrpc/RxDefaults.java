package dev.rxrpc;

/**
 * Every tunable of the engine, in one place. Each constant carries its unit in its name and a one-line reason for its
 * value; code elsewhere refers to these names instead of repeating numbers. Public configuration (the starter's
 * properties) uses {@code Duration} and overrides these values; the engine's defaults come from here.
 *
 * <p>Thread: constants only, safe from any thread.
 */
public final class RxDefaults {

    private RxDefaults() {}

    // ---- RTT / RTO (RFC 6298), see dev.rxrpc.recovery.RttEstimator ----

    /**
     * RTO before the first RTT sample. RFC 6298 §2.1 says 1 s. OpenAFS starts a peer at 2-3 s, so one lost packet of
     * a small call costs it 2-4 s (openafs-peers P13). We take the RFC value.
     */
    public static final long INITIAL_RTO_MILLIS = 1_000;

    /**
     * Floor under the computed RTO. Linux uses max(200 ms, srtt + rttvar + 100 ms), and OpenAFS uses max(srtt +
     * 4·dev, 20 ms) + 200 ms. Both add 100-200 ms to every timeout recovery. Our goal is a p99 of at most 100 ms at 1 %
     * loss on a 10 ms RTT link: one timeout (srtt + 4·rttvar is about 11-12 ms there, so the floor applies) plus one
     * RTT is about 30 ms. The 20 ms floor, OpenAFS's own minimum before its +200 ms, still keeps loopback
     * (srtt ≈ 0.1 ms) from retransmitting on a scheduling or GC hiccup. It assumes the sender sets REQUEST_ACK at least once per flight, so no peer
     * delayed-ACK timer (OpenAFS 100 ms, Linux up to 1 s) enters the RTT.
     */
    public static final long MIN_RTO_MILLIS = 20;

    /**
     * Ceiling for the RTO, backoff included: a quarter of the dead time, so a call with data in flight probes its peer
     * (every retransmission asks for an ACK) at least three times before it would be declared dead. While packets are
     * in flight the retransmission timer is the call's only probe (keepalive pings wait for an empty pipe), so an RTO
     * above the dead time (RFC 6298 §2.5's 60 s, OpenAFS's backoff limit, Linux's 120 s) let a call under load die
     * without one retransmission: a few samples of seconds, as a machine at load 20 produces, put srtt + 4·rttvar past
     * 12 s. OpenAFS and Linux escape this because their keepalive pings run whatever is in flight. A spurious
     * retransmission when the true RTT exceeds 3 s costs one packet and no wrong RTT sample (ACKs name the serial).
     * {@link dev.rxrpc.call.CallConfig} scales it down with a shorter dead time.
     */
    public static final long MAX_RTO_MILLIS = RxDefaults.DEAD_TIMEOUT_MILLIS / RxDefaults.RTO_PROBES_PER_DEAD_TIME;

    /**
     * Clock granularity G of RFC 6298 §2.2-2.3, and the shortest probe timeout. Event-loop timers are not reliably
     * finer than 1 ms, so a variance term below this would only make the timer fire early.
     */
    public static final long TIMER_GRANULARITY_MILLIS = 1;

    // ---- Congestion control (NewReno in packets), see dev.rxrpc.recovery.NewRenoCongestionController ----

    /**
     * Largest congestion window. An Rx ACK describes at most 255 packets past the hard-ACK point (nAcks is a u8,
     * RX_MAXACKS), so a sender cannot keep more than 255 unacknowledged packets meaningfully in flight. Lower it to
     * cap a call (Linux caps at 128); it cannot go higher without a new ACK format.
     */
    public static final int MAX_WINDOW_PACKETS = 255;

    /**
     * Initial congestion window. RFC 6928 allows 10 segments of about 1460 bytes, and an Rx packet carries 1412 bytes
     * of data, so the same size applies. Ten packets cover about 14 KB, enough for most AFS request and reply bodies
     * in the first RTT. Linux's 4 (RXRPC_MIN_CWND) costs one or two extra RTTs for 6-40 KB replies. Ten also fits
     * within the window of 15-16 that an OpenAFS peer or a peer without an ACK trailer advertises.
     */
    public static final int INITIAL_CWND_PACKETS = 10;

    /** Smallest slow-start threshold after a loss: RFC 5681 §3.1's 2·SMSS, so ACK clocking survives a collapse. */
    public static final int MIN_SSTHRESH_PACKETS = 2;

    /** Window after a retransmission timeout: RFC 5681 §3.1's loss window of one segment. */
    public static final int LOSS_WINDOW_PACKETS = 1;

    // ---- Loss detection (RACK-TLP, RFC 8985), see dev.rxrpc.recovery.RackLossDetector ----

    /**
     * Reordering window as a fraction 1/N of the minimum RTT: RFC 8985 §6.2 starts at min_RTT/4. Reordering shorter
     * than this is not mistaken for loss.
     */
    public static final int RACK_REORDER_WINDOW_MIN_RTT_DIVISOR = 4;

    /**
     * Extra wait before a tail loss probe when only one packet is in flight. RFC 8985 §7.2 adds its worst-case
     * delayed-ACK timer of 200 ms here. An Rx sender sets REQUEST_ACK on the last packet of a flight, and both
     * OpenAFS and Linux answer a requested ACK at once, so only the peer's thread wake-up is left to cover. A probe
     * sent too early costs one duplicate packet; one sent too late costs the whole allowance in latency.
     */
    public static final long TLP_ACK_DELAY_ALLOWANCE_MILLIS = 10;

    // ---- Calls: windows, ACKs, timeouts, see dev.rxrpc.call.CallConfig ----

    /**
     * Inbound window per call, in packets: the most unconsumed packets a call holds, so the bound on its memory. At
     * 1412 bytes a packet, 255 packets (the ACK format's limit, as Linux advertises) cover about 7.5 ms of a 1 GB/s
     * stream: room for a bulk sender while the subscriber catches up.
     */
    public static final int RECEIVE_WINDOW_PACKETS = 255;

    /**
     * The send window we assume before the peer's first ACK trailer: OpenAFS's initial window of 16. A peer without a
     * trailer is an old one whose window the specification puts at 15; one packet more is harmless.
     */
    public static final int INITIAL_PEER_RWIND_PACKETS = 16;

    /**
     * Most subpackets per jumbogram we send and accept. Linux's limit (RXRPC_MAX_NR_JUMBO) is 46: 65160-byte
     * datagrams. Fewer syscalls per byte is most of what makes bulk transfer fast on a user-space stack.
     */
    public static final int JUMBO_MAX_PACKETS = 46;

    /**
     * How long an ACK may wait for a reply or more data to carry it. OpenAFS waits 100 ms, Linux up to 1 s when it has
     * no RTT; a sender stalled on a full window waits this long, so keep it near a LAN RTT. Senders set REQUEST_ACK at
     * the end of each flight, so most ACKs never wait.
     */
    public static final long ACK_DELAY_MILLIS = 5;

    /**
     * Bounds of the wait before our last ACK is sent once more when no DATA followed it on a call still receiving (two
     * smoothed RTTs, within these bounds). One ACK stands for a whole receive batch, so a lost one leaves the sender
     * waiting for its retransmission timer: OpenAFS's is at least 220 ms and doubles each time it fires without an RTT
     * sample in between (a 5 MiB upload across 5 % loss took 100 s instead of 14 s). The upper bound stays below that
     * timer; the lower one keeps a sender's scheduling hiccups on loopback from drawing repeats.
     */
    public static final long ACK_REPEAT_MIN_MILLIS = 2;

    /** See {@link #ACK_REPEAT_MIN_MILLIS}; also the wait before the peer's RTT is known. */
    public static final long ACK_REPEAT_MAX_MILLIS = 100;

    /** ACK after this many in-order packets without one: the Rx convention of acknowledging every other packet. */
    public static final int ACK_EVERY_PACKETS = 2;

    /**
     * A call whose peer says nothing for this long fails with RX_CALL_DEAD. OpenAFS's connection dead time is 12 s;
     * keepalive pings (below) keep a slow but live peer talking.
     */
    public static final long DEAD_TIMEOUT_MILLIS = 12_000;

    /** While waiting on the peer, ping it this often: a sixth of the dead time, as OpenAFS does (2 s of 12 s). */
    public static final long KEEPALIVE_MILLIS = DEAD_TIMEOUT_MILLIS / 6;

    /** RTOs that fit in the dead time at least: the RTO ceiling is the dead time divided by this (see MAX_RTO_MILLIS). */
    public static final int RTO_PROBES_PER_DEAD_TIME = 4;

    /**
     * A call with no data moving in either direction for this long is aborted with RX_CALL_TIMEOUT: OpenAFS's
     * service idle-dead time. It frees the memory of calls whose application stopped reading or writing.
     */
    public static final long IDLE_TIMEOUT_MILLIS = 60_000;

    /**
     * Largest datagram we accept, advertised as maxMTU in ACK trailers: a 46-subpacket jumbogram (Linux's
     * RXRPC_JUMBO(46)). Peers send no larger datagram than this.
     */
    public static final int MAX_MTU_BYTES = 28 + 1412 + 45 * 1416;

    /** The natural packet size we advertise as ifMTU: 1444 bytes, one 1416-byte payload, as OpenAFS on Ethernet. */
    public static final int IF_MTU_BYTES = 1444;

    /**
     * The IP-level path MTU assumed toward every peer until configured otherwise: the IPv4 datagram limit, so that
     * by default what the peer's ACK trailer allows is what we send (IP fragments what the link cannot carry), as
     * before; the IP (20 or 40 bytes) and UDP (8) headers come off it per address family.
     */
    public static final int PATH_MTU_BYTES = 65535;

    /**
     * After jumbograms of an unproven size were lost to a retransmission timeout, how long we send no larger ones to
     * that peer before trying one size up again: RFC 8899's PMTU_RAISE_TIMER (Linux uses the same 600 s).
     */
    public static final long PMTU_RAISE_INTERVAL_MILLIS = 600_000;

    // ---- Endpoints: admission and limits, see dev.rxrpc.endpoint.EndpointConfig ----

    /**
     * Cap on any service's preallocated calls: Linux's max_backlog default. A burst of more new calls than this
     * before the application accepts any gets BUSY, which the clients retry.
     */
    public static final int MAX_BACKLOG = 10;

    /** Server connections an endpoint keeps at once; beyond this new ones get BUSY. Bounds memory against floods. */
    public static final int MAX_CONNECTIONS = 200_000;

    /** Server connections one peer address may hold: a client process normally needs a handful per service. */
    public static final int MAX_CONNECTIONS_PER_PEER = 4_096;

    /** Running server calls across all services; each holds at most a window of packets. */
    public static final int MAX_ACTIVE_CALLS = 20_000;

    /** An unused connection is forgotten after this long: Linux keeps service connections 10 minutes. */
    public static final long CONNECTION_IDLE_MILLIS = 600_000;

    /** How often the endpoint looks for idle connections and peers to forget. */
    public static final long REAP_INTERVAL_MILLIS = 10_000;

    // ---- Transport: the UDP socket, see dev.rxrpc.transport.UdpTransport ----

    /**
     * SO_RCVBUF and SO_SNDBUF. OpenAFS asks for 64 KiB, which here lost 118 of a 210-datagram burst; 4 MiB (a common
     * net.core.rmem_max) lost none. The kernel caps it at rmem_max/wmem_max, and the transport warns when it does.
     */
    public static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    /**
     * Datagrams one recvmmsg call may return (epoll only). Each needs a 64 KiB slot because a jumbogram may fill one,
     * so a batch of 16 takes a 1 MiB receive buffer; more saves few syscalls, fewer gives up batching under load.
     */
    public static final int RECEIVE_BATCH_DATAGRAMS = 16;

    /** What we answer to VERSION queries (rxdebug -version). */
    public static final String VERSION_STRING = "rxrpc-spring 0.1 (JVM)";

    /** First resend after a BUSY: the server is alive, so retry at about a LAN RTT rather than an RTO. */
    public static final long BUSY_RETRY_MIN_MILLIS = 20;

    /** Longest wait between resends after repeated BUSYs, kept well below the dead time so a full server is not dead. */
    public static final long BUSY_RETRY_MAX_MILLIS = 1_000;

    /**
     * While a peer has no RTT sample, at most one call probes it (PING) per this interval: a burst of new calls would
     * otherwise double its own packet count with probes. Half the initial RTO, so an unanswered probe is repeated
     * before a lost packet would be.
     */
    public static final long RTT_PROBE_INTERVAL_MILLIS = INITIAL_RTO_MILLIS / 2;

    /**
     * The last packet of a client's request asks for an ACK only while the peer has no RTT sample and then once per
     * this interval (Linux asks when its last RTT request is a second old): otherwise the reply is the ACK, and a
     * requested one costs the server a packet before every reply.
     */
    public static final long RTT_REFRESH_INTERVAL_MILLIS = 1_000;

    // ---- Security: see dev.rxrpc.security ----

    /** CHALLENGE resend interval while calls wait for a RESPONSE: OpenAFS's 2 s, so its clients behave as usual. */
    public static final long CHALLENGE_RESEND_MILLIS = 2_000;

    /** CHALLENGEs sent before the waiting calls die with RX_CALL_DEAD: OpenAFS's 50, i.e. about 100 s. */
    public static final int CHALLENGE_MAX_SENDS = 50;

    /** Delay before a failed RESPONSE's connection abort goes out, as OpenAFS: slows down guessing attacks. */
    public static final long RESPONSE_FAILURE_ABORT_DELAY_MILLIS = 1_000;
}
