package dev.rxrpc.security;

import java.util.Objects;

/**
 * Who the peer proved to be on a secured connection: the principal of its ticket and the protection level the
 * connection runs at. Immutable.
 *
 * @param name principal name ({@code "afs"} for a {@code -localauth} caller)
 * @param instance principal instance, empty if none
 * @param cell the ticket's cell (realm), empty for the local cell
 * @param level protection level: 0 clear, 1 auth, 2 crypt (rxkad's numbering)
 */
public record RxIdentity(String name, String instance, String cell, int level) {

    public RxIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(cell, "cell");
    }

    /** {@code name[.instance][@cell]}, as OpenAFS prints principals. */
    @Override
    public String toString() {
        return name + (instance.isEmpty() ? "" : "." + instance) + (cell.isEmpty() ? "" : "@" + cell) + " level "
                + level;
    }
}
