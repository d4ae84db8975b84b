package dev.rxrpc.examples.ptserver.pr;

import dev.rxrpc.RxAbortException;

/**
 * A PR operation refused with one of the protocol's codes. It is an {@link RxAbortException}, so the call is aborted
 * with exactly that code; being unchecked it also rolls back the transaction it leaves.
 */
public final class PrException extends RxAbortException {

    private static final long serialVersionUID = 1L;

    private final PrError error;

    public PrException(PrError error) {
        super(error.code(), error.name() + " (" + error.code() + "): " + error.message());
        this.error = error;
    }

    public PrError error() {
        return error;
    }
}
