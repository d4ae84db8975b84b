package dev.rxrpc.spring.secit;

import dev.rxrpc.spring.RxCallContext;
import dev.rxrpc.spring.annotation.RxOperation;
import dev.rxrpc.spring.annotation.RxService;
import dev.rxrpc.spring.annotation.XdrString;
import reactor.core.publisher.Mono;

/** Who is calling, as the operation sees it; two operations guarded by method security. */
@RxService(serviceId = WhoService.SERVICE_ID, name = "WHO")
public interface WhoService {

    int SERVICE_ID = 4900;

    /** "name level N" from the call context, or "anonymous". */
    @RxOperation(opcode = 1)
    @XdrString(max = 200)
    String fromContext(RxCallContext call);

    /** Spring Security's current authentication on the blocking thread: "name [authorities]". */
    @RxOperation(opcode = 2)
    @XdrString(max = 200)
    String blockingAuthentication();

    /** ReactiveSecurityContextHolder's authentication: "name [authorities]". */
    @RxOperation(opcode = 3)
    @XdrString(max = 200)
    Mono<String> reactiveAuthentication();

    /** Only for callers at crypt level (@PreAuthorize); blocking. */
    @RxOperation(opcode = 4)
    @XdrString(max = 200)
    String cryptOnly();

    /** Only for the superuser "afs" (@PreAuthorize); reactive. */
    @RxOperation(opcode = 5)
    @XdrString(max = 200)
    Mono<String> superuserOnly();
}
