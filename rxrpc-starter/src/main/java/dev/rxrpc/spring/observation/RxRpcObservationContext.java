package dev.rxrpc.spring.observation;

import dev.rxrpc.spring.RxCallContext;
import io.micrometer.observation.Observation;
import java.net.InetSocketAddress;

/**
 * What an {@code rxrpc.server} or {@code rxrpc.client} observation knows about its call. Filled in by the dispatcher
 * (server) or the proxy (client) as the call goes; the outcome and abort code are set once, after error mapping, so
 * the recorded code is the one on the wire. Confined to the call's processing (not thread-safe).
 */
public class RxRpcObservationContext extends Observation.Context {

    private final String service;
    private final int serviceId;
    private String operation = "UNKNOWN";
    private int opcode = -1;
    private RxRpcOutcome outcome = RxRpcOutcome.OK;
    private int abortCode;
    private InetSocketAddress peer;
    private RxCallContext call;

    /**
     * @param service the service's name
     * @param serviceId the service id
     */
    public RxRpcObservationContext(String service, int serviceId) {
        this.service = service;
        this.serviceId = serviceId;
    }

    public String getService() {
        return service;
    }

    public int getServiceId() {
        return serviceId;
    }

    /** The operation's name, {@code UNKNOWN} until the opcode is known (and when it is not registered). */
    public String getOperation() {
        return operation;
    }

    public void setOperation(String operation) {
        this.operation = operation;
    }

    /** The opcode, -1 until read. */
    public int getOpcode() {
        return opcode;
    }

    public void setOpcode(int opcode) {
        this.opcode = opcode;
    }

    public RxRpcOutcome getOutcome() {
        return outcome;
    }

    public void setOutcome(RxRpcOutcome outcome) {
        this.outcome = outcome;
    }

    /** The abort code, 0 unless the outcome is ABORTED. */
    public int getAbortCode() {
        return abortCode;
    }

    public void setAbortCode(int abortCode) {
        this.abortCode = abortCode;
    }

    /** The other side's address, or null if not known yet. */
    public InetSocketAddress getPeer() {
        return peer;
    }

    public void setPeer(InetSocketAddress peer) {
        this.peer = peer;
    }

    /** The server call's context; null on the client side. */
    public RxCallContext getCall() {
        return call;
    }

    public void setCall(RxCallContext call) {
        this.call = call;
    }
}
