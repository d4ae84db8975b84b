package dev.rxrpc.spring.xdr;

/**
 * A Java type that cannot be mapped to XDR (a {@code Map}, a {@code double}, a raw {@code List}, a bound that makes no
 * sense). Thrown at startup, when the operation or client is set up, never during a call.
 */
public class XdrBindingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String where;

    /**
     * @param where what was being bound, for example {@code "parameter 2 (name) of PrService.newEntry"}
     * @param message why it cannot be
     */
    public XdrBindingException(String where, String message) {
        super(where + ": " + message);
        this.where = where;
    }

    /** What was being bound. */
    public String where() {
        return where;
    }
}
