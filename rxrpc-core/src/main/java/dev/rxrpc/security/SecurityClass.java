package dev.rxrpc.security;

/**
 * A security class (rxnull, rxkad, ...): the factory of the per-connection security objects of one wire index.
 *
 * <p>A server endpoint holds one instance per index it accepts, configured with its keys; a client holds one per
 * credential (token) it calls with, and connections are shared only between calls made with the same instance.
 * Thread-safe: the factories run on the endpoint's loop, and instances may be shared by endpoints.
 */
public interface SecurityClass {

    /** The security index on the wire (0 rxnull, 2 rxkad). */
    int index();

    /** A short name for logs and metrics. */
    String name();

    /**
     * Loop: the server end of a new incoming connection.
     *
     * @throws UnsupportedOperationException if this instance is client credentials only
     */
    ServerSecurity newServerSecurity(ConnectionParams conn);

    /**
     * Loop: the client end of a new outgoing connection.
     *
     * @throws UnsupportedOperationException if this instance holds server keys only
     */
    ClientSecurity newClientSecurity(ConnectionParams conn);
}
