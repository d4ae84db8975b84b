package dev.rxrpc.spring.secit;

import dev.rxrpc.spring.RxSecurityLevel;
import dev.rxrpc.spring.annotation.RxOperation;
import dev.rxrpc.spring.annotation.RxSecured;
import dev.rxrpc.spring.annotation.RxService;

/** A service that needs crypt by annotation alone. */
@RxService(serviceId = AdminService.SERVICE_ID, name = "ADMIN")
@RxSecured(minLevel = RxSecurityLevel.CRYPT)
public interface AdminService {

    int SERVICE_ID = 4902;

    @RxOperation(opcode = 1)
    int ping(int x);
}
