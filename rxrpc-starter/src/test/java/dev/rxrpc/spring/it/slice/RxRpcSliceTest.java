package dev.rxrpc.spring.it.slice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.spring.it.CalcService;
import dev.rxrpc.spring.it.CalcServiceImpl;
import dev.rxrpc.spring.server.RxRpcServer;
import dev.rxrpc.spring.test.LocalRxRpcServerPort;
import dev.rxrpc.spring.test.RxRpcTest;
import dev.rxrpc.spring.test.RxRpcTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

/** The slice: only Rx beans, a free loopback port, a test client over real UDP. */
@RxRpcTest
@TestPropertySource(properties = "rxrpc.client.calc.address=127.0.0.1:${local.rxrpc.server.port}")
class RxRpcSliceTest {

    @Autowired
    RxRpcTestClient rx;

    @Autowired
    ApplicationContext context;

    @LocalRxRpcServerPort
    int port;

    @Test
    void servesTheScannedServiceOnAFreeLoopbackPort() {
        RxRpcServer server = context.getBean(RxRpcServer.class);
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(port).isEqualTo(server.port()).isEqualTo(rx.port());
        assertThat(context.getBeansOfType(CalcServiceImpl.class)).hasSize(1);
        CalcService calc = rx.client(CalcService.class);
        assertThat(calc.add(2, 3)).isEqualTo(5);
        assertThatThrownBy(() -> calc.fail(2))
                .isInstanceOfSatisfying(
                        RxAbortException.class, e -> assertThat(e.code()).isEqualTo(999));
    }

    @Test
    void scansOnlyRxBeans() {
        assertThat(context.getBeanNamesForType(NotAnRxBean.class)).isEmpty();
    }
}
