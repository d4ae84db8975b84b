package dev.rxrpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rxrpc.RxClient;
import dev.rxrpc.RxServer;
import dev.rxrpc.endpoint.EndpointSnapshot;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The hooks a graceful drain is built on, over real UDP on loopback: refusing new calls with BUSY while an admitted
 * call finishes, counting active calls, and the endpoint snapshot the starter's actuator endpoint shows.
 */
class RxServerDrainTest {

    static final int SERVICE = 4242;

    final ConcurrentLinkedQueue<Sinks.One<ByteBuffer>> replies = new ConcurrentLinkedQueue<>();
    RxServer server;
    RxClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    void start() {
        server = RxServer.builder()
                .service(SERVICE, (call, request) -> {
                    Sinks.One<ByteBuffer> reply = Sinks.one();
                    replies.add(reply);
                    return request.then(reply.asMono());
                })
                .bind();
        client = RxClient.create();
    }

    CompletableFuture<String> call(String body) {
        return client.call(server.address(), SERVICE, Mono.just(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8))))
                .reduce(new StringBuilder(), (sb, b) -> sb.append(StandardCharsets.UTF_8.decode(b)))
                .map(StringBuilder::toString)
                .toFuture();
    }

    @Test
    void refusedNewCallsGetBusyWhileTheAdmittedOneFinishes() {
        start();
        CompletableFuture<String> inFlight = call("first");
        await().until(() -> replies.size() == 1);
        assertThat(server.activeCalls().join()).isEqualTo(1);

        server.refuseNewCalls(true);
        assertThat(server.refusesNewCalls()).isTrue();
        CompletableFuture<String> refused = call("second");
        await().until(() -> busy(server.snapshot().join()) > 0);
        assertThat(replies).hasSize(1);
        assertThat(refused).isNotDone();

        replies.poll().tryEmitValue(ByteBuffer.wrap("done".getBytes(StandardCharsets.UTF_8)));
        assertThat(inFlight.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join())
                .isEqualTo("done");
        await().until(() -> server.activeCalls().join() == 0);

        // The refused client keeps retrying after BUSY; admitting again lets it through.
        server.refuseNewCalls(false);
        await().until(() -> !replies.isEmpty());
        replies.poll().tryEmitValue(ByteBuffer.wrap("later".getBytes(StandardCharsets.UTF_8)));
        assertThat(refused.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join())
                .isEqualTo("later");
    }

    @Test
    void snapshotShowsServicesPeersConnectionsAndCalls() {
        start();
        CompletableFuture<String> inFlight = call("x");
        await().until(() -> replies.size() == 1);
        EndpointSnapshot s = server.snapshot().join();
        assertThat(s.services()).singleElement().satisfies(svc -> {
            assertThat(svc.serviceId()).isEqualTo(SERVICE);
            assertThat(svc.activeCalls()).isEqualTo(1);
            assertThat(svc.refusingNewCalls()).isFalse();
        });
        assertThat(s.peers()).extracting(EndpointSnapshot.PeerInfo::address).contains(client.address());
        assertThat(s.connections()).singleElement().satisfies(c -> {
            assertThat(c.role()).isEqualTo("SERVER");
            assertThat(c.serviceId()).isEqualTo(SERVICE);
            assertThat(c.activeCalls()).isEqualTo(1);
        });
        assertThat(s.calls()).singleElement().satisfies(c -> {
            assertThat(c.role()).isEqualTo("SERVER");
            assertThat(c.completion()).isNull();
            assertThat(c.peer()).isEqualTo(client.address());
        });
        assertThat(server.serviceIds()).containsExactly(SERVICE);
        replies.poll().tryEmitValue(ByteBuffer.allocate(0));
        inFlight.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    static long busy(EndpointSnapshot s) {
        return s.services().stream()
                .mapToLong(EndpointSnapshot.ServiceInfo::busy)
                .sum();
    }
}
