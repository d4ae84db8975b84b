package dev.rxrpc.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.call.CallCompletion;
import dev.rxrpc.recovery.RttEstimator;
import dev.rxrpc.test.InMemoryNetwork.Impairments;
import dev.rxrpc.test.SimApps;
import dev.rxrpc.test.SimApps.ClientCall;
import dev.rxrpc.wire.MalformedPacketException;
import dev.rxrpc.wire.PacketType;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The RTO ceiling against the dead time: with a round trip of seconds (a loaded machine), the RTO that RFC 6298
 * computes exceeds the 12 s dead time, and a call whose only packet is lost must still retransmit, not die silent.
 */
class RtoCeilingSimulationTest extends SimulationSupport {

    /** 2.5 s each way: a 5 s round trip, as the 10,000-call scale test saw under a load average of about 20. */
    static final long ONE_WAY_NANOS = TimeUnit.MILLISECONDS.toNanos(2_500);

    @Test
    void aCallUnderALongRttRetransmitsBeforeItWouldBeDeclaredDead() {
        Setup s = setup(11, new Impairments(0, 0, ONE_WAY_NANOS, 0, 65535), EndpointConfig.defaults());

        // A first call teaches the client's peer record the 5 s round trip.
        ClientCall first = SimApps.call(s.client(), loop, SERVER, SERVICE, SimApps.patternRequest(3, 30, 1), 4096);
        runUntil(first::isDone, 60_000);
        assertThat(first.completion()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(first.call().rtt().srttNanos())
                .as("the estimate has learned a round trip of seconds")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(2_000));
        // Under RFC 6298's 60 s ceiling (OpenAFS's backoff limit) two such samples give an RTO past the dead time.
        RttEstimator rfc = new RttEstimator(
                TimeUnit.SECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(20), TimeUnit.SECONDS.toNanos(60));
        rfc.onSample(2 * ONE_WAY_NANOS);
        rfc.onSample(2 * ONE_WAY_NANOS);
        assertThat(rfc.rtoNanos()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(RxDefaults.DEAD_TIMEOUT_MILLIS));

        // The second call's request (one DATA packet) is lost the first time it is sent: the server knows nothing of
        // the call and stays silent until the request arrives again.
        List<Long> requestSentAt = new ArrayList<>();
        int[] dropped = {0};
        s.net().drop = (from, datagram) -> {
            if (from.equals(CLIENT) && isData(datagram)) {
                requestSentAt.add(loop.nanoTime());
                return dropped[0]++ == 0;
            }
            return false;
        };
        ClientCall second = SimApps.call(s.client(), loop, SERVER, SERVICE, SimApps.patternRequest(3, 30, 2), 4096);
        runUntil(second::isDone, 60_000);

        assertThat(second.completion()).as(second.toString()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(second.reply()).isEqualTo(SimApps.pattern(30, 2));
        assertThat(second.call().retransmits()).isPositive();
        assertThat(requestSentAt).hasSizeGreaterThanOrEqualTo(2);
        assertThat(requestSentAt.get(1) - requestSentAt.get(0))
                .as("the first retransmission comes within the RTO ceiling")
                .isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(RxDefaults.MAX_RTO_MILLIS));
    }

    private static boolean isData(ByteBuf datagram) {
        try {
            return WireHeader.decode(datagram.duplicate()).type() == PacketType.DATA;
        } catch (MalformedPacketException e) {
            return false;
        }
    }
}
