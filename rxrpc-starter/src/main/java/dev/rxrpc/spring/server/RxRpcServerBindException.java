package dev.rxrpc.spring.server;

/** The Rx server's UDP socket could not be bound. Explained at startup by the starter's failure analyzer. */
public class RxRpcServerBindException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;

    public RxRpcServerBindException(String host, int port, Throwable cause) {
        super("Rx server cannot bind UDP " + host + ":" + port + ": " + cause.getMessage(), cause);
        this.host = host;
        this.port = port;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /**
     * Whether the address is in use: the cause chain says so, or (Reactor Netty does not always keep the errno in
     * the chain) a plain UDP socket cannot bind the same address either.
     */
    public boolean addressInUse() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || (t.getMessage() != null
                            && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("in use"))) {
                return true;
            }
        }
        if (port == 0) {
            return false;
        }
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(new java.net.InetSocketAddress(host, port))) {
            return false;
        } catch (java.net.BindException e) {
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
