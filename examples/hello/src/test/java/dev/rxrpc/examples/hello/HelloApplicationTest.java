package dev.rxrpc.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.spring.client.RxServiceClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The whole application: the server on a free port, called over loopback UDP by its own declarative client. */
@SpringBootTest(
        properties = {
            "rxrpc.server.port=0",
            "rxrpc.server.address=127.0.0.1",
            "rxrpc.client.hello.address=127.0.0.1:${local.rxrpc.server.port}"
        })
class HelloApplicationTest {

    @Autowired
    HelloService hello;

    @Test
    void theClientCallsTheServiceOverUdp() {
        assertThat(hello).isInstanceOf(RxServiceClient.class);
        assertThat(hello.hello("rx")).isEqualTo("Hello, rx!");
    }
}
