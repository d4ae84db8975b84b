package dev.rxrpc.examples.hello;

import org.springframework.stereotype.Component;

/** The service: a plain bean. Blocking methods run on the starter's bounded scheduler, never the event loop. */
@Component
public class HelloServiceImpl implements HelloService {

    @Override
    public String hello(String name) {
        return "Hello, " + name + "!";
    }
}
