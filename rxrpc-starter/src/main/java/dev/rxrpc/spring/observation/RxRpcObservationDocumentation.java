package dev.rxrpc.spring.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations the starter makes, documented in one place. With Boot's {@code DefaultMeterObservationHandler}
 * each becomes a timer of its name (tagged with the low-cardinality keys and {@code error}) and a long task timer
 * {@code <name>.active}. Peer details are high-cardinality keys only: spans see them, meters never do.
 */
public enum RxRpcObservationDocumentation implements ObservationDocumentation {

    /** One server call, from the arrival of its request to the end of its reply. */
    SERVER {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultRxRpcServerObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeys.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeys.values();
        }
    },

    /** One client call made through a declarative client, from its start to the end of its reply. */
    CLIENT {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultRxRpcClientObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return KeyName.merge(LowCardinalityKeys.values(), ClientLowCardinalityKeys.values());
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeys.values();
        }
    };

    /** Keys with a bounded set of values: on meters and spans. */
    public enum LowCardinalityKeys implements KeyName {
        /** Always {@code rxrpc}. */
        RPC_SYSTEM {
            @Override
            public String asString() {
                return "rpc.system";
            }
        },
        /** The service's name ({@code @RxService(name)}). */
        RPC_SERVICE {
            @Override
            public String asString() {
                return "rpc.service";
            }
        },
        /** The operation's name, {@code UNKNOWN} for an opcode the service does not have. */
        RPC_METHOD {
            @Override
            public String asString() {
                return "rpc.method";
            }
        },
        /** The opcode, {@code UNKNOWN} when it was not read. Bounded by the operations registered, or UNKNOWN. */
        OPCODE {
            @Override
            public String asString() {
                return "rxrpc.opcode";
            }
        },
        /** OK, ABORTED, TIMEOUT or CANCELLED. */
        OUTCOME {
            @Override
            public String asString() {
                return "rxrpc.outcome";
            }
        },
        /**
         * The abort code by its com_err name (RXGEN_OPCODE, RX_USER_ABORT...), the number for codes without a name,
         * {@code none} when the call was not aborted.
         */
        ABORT_CODE {
            @Override
            public String asString() {
                return "rxrpc.abort_code";
            }
        }
    }

    /** Keys of client observations only. */
    public enum ClientLowCardinalityKeys implements KeyName {
        /** The client group ({@code rxrpc.client.<group>}). */
        GROUP {
            @Override
            public String asString() {
                return "rxrpc.client.group";
            }
        }
    }

    /** Keys with unbounded values: on spans only, never on meters. */
    public enum HighCardinalityKeys implements KeyName {
        /** The peer's IP address. */
        PEER_ADDRESS {
            @Override
            public String asString() {
                return "net.peer.address";
            }
        },
        /** The peer's UDP port. */
        PEER_PORT {
            @Override
            public String asString() {
                return "net.peer.port";
            }
        },
        /** The connection's epoch (server calls). */
        EPOCH {
            @Override
            public String asString() {
                return "rxrpc.epoch";
            }
        },
        /** The connection id (server calls). */
        CID {
            @Override
            public String asString() {
                return "rxrpc.cid";
            }
        },
        /** The call number (server calls). */
        CALL_NUMBER {
            @Override
            public String asString() {
                return "rxrpc.call_number";
            }
        }
    }
}
