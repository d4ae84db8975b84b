package dev.rxrpc.spring.observation;

import dev.rxrpc.spring.observation.RxRpcObservationDocumentation.HighCardinalityKeys;
import dev.rxrpc.spring.observation.RxRpcObservationDocumentation.LowCardinalityKeys;
import dev.rxrpc.wire.AbortCode;
import io.micrometer.common.KeyValues;

/** The key values both default conventions share. */
final class RxRpcKeyValues {

    private RxRpcKeyValues() {}

    static KeyValues low(RxRpcObservationContext c) {
        return KeyValues.of(
                LowCardinalityKeys.RPC_SYSTEM.withValue("rxrpc"),
                LowCardinalityKeys.RPC_SERVICE.withValue(c.getService()),
                LowCardinalityKeys.RPC_METHOD.withValue(c.getOperation()),
                LowCardinalityKeys.OPCODE.withValue(c.getOpcode() < 0 ? "UNKNOWN" : Integer.toString(c.getOpcode())),
                LowCardinalityKeys.OUTCOME.withValue(c.getOutcome().name()),
                LowCardinalityKeys.ABORT_CODE.withValue(abortCodeName(c)));
    }

    static String abortCodeName(RxRpcObservationContext c) {
        if (c.getOutcome() != RxRpcOutcome.ABORTED) {
            return "none";
        }
        // An open enum: known codes have their com_err name, others their number. Application codes (say PRNOENT)
        // come from the operations' @RxAbortCode and mappers, so they are bounded by the application.
        AbortCode code = AbortCode.valueOf(c.getAbortCode());
        return code.isKnown() ? code.name() : Integer.toString(code.code());
    }

    static KeyValues high(RxRpcObservationContext c) {
        KeyValues kv = KeyValues.empty();
        if (c.getPeer() != null) {
            kv = kv.and(
                    HighCardinalityKeys.PEER_ADDRESS.withValue(
                            c.getPeer().getAddress() == null
                                    ? c.getPeer().getHostString()
                                    : c.getPeer().getAddress().getHostAddress()),
                    HighCardinalityKeys.PEER_PORT.withValue(
                            Integer.toString(c.getPeer().getPort())));
        }
        if (c.getCall() != null) {
            kv = kv.and(
                    HighCardinalityKeys.EPOCH.withValue(
                            Integer.toUnsignedString(c.getCall().epoch())),
                    HighCardinalityKeys.CID.withValue(
                            Integer.toUnsignedString(c.getCall().cid())),
                    HighCardinalityKeys.CALL_NUMBER.withValue(
                            Integer.toUnsignedString(c.getCall().callNumber())));
        }
        return kv;
    }
}
