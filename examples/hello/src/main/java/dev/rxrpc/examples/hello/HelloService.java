package dev.rxrpc.examples.hello;

import dev.rxrpc.spring.annotation.RxOperation;
import dev.rxrpc.spring.annotation.RxService;
import dev.rxrpc.spring.annotation.XdrString;

/**
 * The contract, as an rxgen file would declare it:
 *
 * <pre>
 * package HELLO_
 * Hello(IN string name&lt;64&gt;, OUT string greeting&lt;128&gt;) = 1;
 * </pre>
 *
 * The server implements it; {@code @ImportRxServices} makes a client proxy of the same interface.
 */
@RxService(serviceId = 2600, name = "HELLO")
public interface HelloService {

    @RxOperation(opcode = 1, name = "Hello")
    @XdrString(max = 128)
    String hello(@XdrString(max = 64) String name);
}
