package dev.rxrpc.spring.secit;

import dev.rxrpc.spring.RxSecurityLevel;
import dev.rxrpc.spring.annotation.RxOperation;
import dev.rxrpc.spring.annotation.RxSecured;
import dev.rxrpc.spring.annotation.RxService;

/** A service whose annotation asks for crypt; the test's properties relax it to auth. */
@RxService(serviceId = CryptService.SERVICE_ID, name = "CRYPTSVC")
@RxSecured(minLevel = RxSecurityLevel.CRYPT)
public interface CryptService {

    int SERVICE_ID = 4901;

    @RxOperation(opcode = 1)
    int ping(int x);
}
