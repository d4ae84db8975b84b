package dev.rxrpc.spring.autoconfigure;

/** A {@code rxrpc.*} property with a value the starter cannot use; the failure analyzer names it and the fix. */
public class InvalidRxRpcPropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final Object value;
    private final String requirement;

    /**
     * @param property the property's name
     * @param value its value (null if unset)
     * @param requirement what it must be, e.g. "between 4 and 31"
     */
    public InvalidRxRpcPropertyException(String property, Object value, String requirement) {
        super(property + " is " + value + " but must be " + requirement);
        this.property = property;
        this.value = value;
        this.requirement = requirement;
    }

    public String property() {
        return property;
    }

    public Object value() {
        return value;
    }

    public String requirement() {
        return requirement;
    }
}
