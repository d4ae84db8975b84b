package dev.rxrpc.examples.hello;

import dev.rxrpc.spring.annotation.ImportRxServices;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Serves {@link HelloService} on UDP 7000 and, when started with {@code --hello.call=NAME}, calls a server through
 * the declarative client ({@code rxrpc.client.hello.address}) and prints the greeting.
 */
@SpringBootApplication
@ImportRxServices(group = "hello", types = HelloService.class)
public class HelloApplication {

    public static void main(String[] args) {
        SpringApplication.run(HelloApplication.class, args);
    }

    /** The client: the injected HelloService is the proxy (it is primary for its interface). */
    @Bean
    @ConditionalOnProperty("hello.call")
    ApplicationRunner callHello(HelloService hello, org.springframework.core.env.Environment env) {
        return args -> System.out.println(hello.hello(env.getRequiredProperty("hello.call")));
    }
}
