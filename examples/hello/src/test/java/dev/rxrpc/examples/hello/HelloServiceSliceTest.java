package dev.rxrpc.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.spring.test.RxRpcTest;
import dev.rxrpc.spring.test.RxRpcTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** How a user tests a service with the slice: only the Rx beans, a free loopback port, a client over real UDP. */
@RxRpcTest
class HelloServiceSliceTest {

    @Autowired
    RxRpcTestClient rx;

    @Test
    void greets() {
        assertThat(rx.client(HelloService.class).hello("world")).isEqualTo("Hello, world!");
    }

    @Test
    void theContractBoundsTheName() {
        assertThatThrownBy(() -> rx.client(HelloService.class).hello("x".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
