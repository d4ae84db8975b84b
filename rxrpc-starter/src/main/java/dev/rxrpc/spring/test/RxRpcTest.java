package dev.rxrpc.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTestContextBootstrapper;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test slice for Rx services: only {@code @RxService} beans, {@code RxExceptionHandler}s and
 * {@code RxRpcServerCustomizer}s are scanned, only the rxrpc auto-configurations apply, and the server binds a free
 * loopback port ({@link LocalRxRpcServerPort} tells which). Inject {@link RxRpcTestClient} to call the services over
 * real UDP through declarative clients:
 *
 * <pre>{@code
 * @RxRpcTest
 * class HelloServiceTest {
 *     @Autowired RxRpcTestClient rx;
 *
 *     @Test
 *     void greets() {
 *         assertThat(rx.client(HelloService.class).hello("rx")).isEqualTo("Hello, rx!");
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(SpringBootTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(RxRpcTypeExcludeFilter.class)
@AutoConfigureRxRpc
@ImportAutoConfiguration
@TestPropertySource(properties = {"rxrpc.server.port=0", "rxrpc.server.address=127.0.0.1"})
public @interface RxRpcTest {

    /** Whether the default filters (the Rx types above) apply; false scans only {@link #includeFilters()}. */
    boolean useDefaultFilters() default true;

    /** More components to scan. */
    Filter[] includeFilters() default {};

    /** Components not to scan. */
    Filter[] excludeFilters() default {};
}
