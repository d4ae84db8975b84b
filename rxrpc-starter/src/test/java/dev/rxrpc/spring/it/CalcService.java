package dev.rxrpc.spring.it;

import dev.rxrpc.spring.RxCallContext;
import dev.rxrpc.spring.annotation.RxOperation;
import dev.rxrpc.spring.annotation.RxService;
import dev.rxrpc.spring.annotation.XdrArray;
import dev.rxrpc.spring.annotation.XdrOpaque;
import dev.rxrpc.spring.annotation.XdrString;
import dev.rxrpc.spring.annotation.XdrUnsigned;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A test contract exercising every binding: used as the server contract and as the declarative client. */
@RxService(serviceId = 4711, name = "CALC")
public interface CalcService {

    int SERVICE_ID = 4711;

    @RxOperation(opcode = 1, name = "Add")
    int add(int a, int b);

    @RxOperation(opcode = 2, name = "Greet")
    Mono<Greeting> greet(@XdrString(max = 16) String name, RxCallContext call);

    @RxOperation(opcode = 3, name = "Lookup")
    Entry lookup(@XdrString(max = 64) String name);

    @RxOperation(opcode = 4, name = "Fail")
    void fail(int how);

    @RxOperation(opcode = 5, name = "List")
    List<Entry> list(@XdrArray(max = 10) List<Integer> ids);

    @RxOperation(opcode = 6, name = "Find")
    Optional<Entry> find(int id);

    @RxOperation(opcode = 7, name = "Download")
    Flux<ByteBuffer> download(int blocks);

    @RxOperation(opcode = 8, name = "Upload")
    Mono<Long> upload(int header, Flux<ByteBuffer> data);

    @RxOperation(opcode = 9, name = "Wait")
    int await(int token);

    @RxOperation(opcode = 10, name = "Fixed")
    Fixed fixed(@XdrOpaque(fixed = 8) byte[] key, @XdrArray(fixed = 3) int[] three);

    /** Several OUT parameters. */
    record Greeting(@XdrString(max = 64) String text, int callNumber, boolean local) {}

    /** A struct with nested variable data. */
    record Entry(
            @XdrString(max = 64) String name,
            int id,
            @XdrUnsigned long flags,
            @XdrOpaque(max = 16) byte[] cookie,
            @XdrArray(max = 4) List<@XdrString(max = 8) String> tags) {}

    /** Fixed-size items. */
    record Fixed(
            @XdrOpaque(fixed = 8) byte[] key,
            @XdrArray(fixed = 3) List<Integer> three,
            int sum) {}
}
