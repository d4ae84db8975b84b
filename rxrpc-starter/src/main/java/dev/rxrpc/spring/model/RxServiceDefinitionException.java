package dev.rxrpc.spring.model;

/**
 * An {@code @RxService} that cannot be served or proxied as written: a duplicate service id or opcode, a service id
 * out of range, an operation whose types have no XDR mapping. Thrown at startup; the starter's failure analyzer
 * prints {@link #getMessage()} and {@link #action()}.
 */
public class RxServiceDefinitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String action;

    /**
     * @param message what is wrong, naming the service, operation and type
     * @param action what to change
     */
    public RxServiceDefinitionException(String message, String action) {
        super(message);
        this.action = action;
    }

    /** What to change. */
    public String action() {
        return action;
    }
}
