package dev.rxrpc.spring.it;

import dev.rxrpc.spring.RxExceptionHandler;
import dev.rxrpc.spring.annotation.ImportRxServices;
import java.util.OptionalInt;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** The test application: serves {@link CalcService} and calls it through a declarative client of group "calc". */
@SpringBootApplication
@ImportRxServices(group = "calc", types = CalcService.class)
public class CalcApplication {

    @Bean
    RxExceptionHandler customHandler() {
        return (e, call) -> e instanceof CalcServiceImpl.Custom ? OptionalInt.of(999) : OptionalInt.empty();
    }
}
