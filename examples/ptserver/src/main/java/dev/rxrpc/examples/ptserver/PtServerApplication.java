package dev.rxrpc.examples.ptserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** An AFS protection server: {@code java -jar ptserver.jar}, then {@code pts ... -noauth -config client}. */
@SpringBootApplication
@EnableConfigurationProperties(PtServerProperties.class)
public class PtServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(PtServerApplication.class, args);
    }
}
