package dev.rxrpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.RxClient;
import dev.rxrpc.RxReply;
import dev.rxrpc.RxServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Service upgrade over real UDP on loopback: the plain-Java server and client. */
class ServiceUpgradeLoopbackTest {

    static final int VL = 52;
    static final int YFS_VL = 2503;

    private static RxServer.Builder servers() {
        return RxServer.builder()
                .service(VL, (call, request) -> request.then(Mono.just(text("vl " + call.serviceId()))))
                .service(YFS_VL, (call, request) -> request.then(Mono.just(text("yfs " + call.serviceId()))));
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b).toString();
    }

    @Test
    void clientAskingForTheUpgradeIsServedByTheUpgradedServiceAndLearnsItsId() {
        try (RxServer server = servers().serviceUpgrade(VL, YFS_VL).bind();
                RxClient client = RxClient.create()) {
            for (int i = 0; i < 3; i++) {
                RxReply r = client.callUpgrading(server.address(), VL, Flux.just(text("probe")))
                        .block(Duration.ofSeconds(10));
                assertThat(r.serviceId())
                        .as("call %d: %s", i, text(r.body().duplicate()))
                        .isEqualTo(YFS_VL);
                assertThat(text(r.body())).isEqualTo("yfs " + YFS_VL);
            }
            String plain = client.call(server.address(), VL, Flux.just(text("plain")))
                    .map(ServiceUpgradeLoopbackTest::text)
                    .reduce(String::concat)
                    .block(Duration.ofSeconds(10));
            assertThat(plain).as("a call that does not ask is not upgraded").isEqualTo("vl " + VL);
        }
    }

    @Test
    void serverWithoutTheUpgradeAnswersOnTheServiceAsked() {
        try (RxServer server = servers().bind();
                RxClient client = RxClient.create()) {
            RxReply r = client.callUpgrading(server.address(), VL, Flux.just(text("probe")))
                    .block(Duration.ofSeconds(10));
            assertThat(r.serviceId()).isEqualTo(VL);
            assertThat(text(r.body())).isEqualTo("vl " + VL);
        }
    }

    @Test
    void upgradeToAServiceNotOfferedFailsAtBindWithAMessage() {
        assertThatThrownBy(() -> servers().serviceUpgrade(VL, 9999).bind())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs both services offered");
    }
}
