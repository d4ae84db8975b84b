package dev.rxrpc.examples.ptserver.wire;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxCallInfo;
import dev.rxrpc.RxServer;
import dev.rxrpc.examples.ptserver.pr.Pr;
import dev.rxrpc.examples.ptserver.pr.PrError;
import dev.rxrpc.examples.ptserver.pr.PrService;
import dev.rxrpc.examples.ptserver.ubik.UbikDebug;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Binds the Rx port and routes its three services (PR 73, VOTE 50, DISK 51) to their handlers.
 *
 * <p>This is thin glue over rxrpc-core's {@link RxServer}: each request is gathered (bounded), then served on a
 * blocking-friendly scheduler, never on the network loop. Database failures abort the call with PRDBFAIL and are
 * logged; protocol refusals abort with their own code. Thread-safe; {@link #close()} aborts calls still running with
 * RX_RESTARTING and releases the port.
 */
public final class RxEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RxEndpoint.class);

    /**
     * Largest request accepted, in bytes: a NameToID of PR_MAXLIST names (5000 x 256 B) with room to spare. Anything
     * larger is refused as unmarshallable before it can use more memory.
     */
    static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;

    private final RxServer server;
    private final PrService pr;
    private final PrWire prWire;
    private final UbikDebug ubik;
    private final Scheduler blocking;

    public RxEndpoint(String host, int port, PrService pr, PrWire prWire, UbikDebug ubik, Scheduler blocking) {
        this.pr = pr;
        this.prWire = prWire;
        this.ubik = ubik;
        this.blocking = blocking;
        this.server = RxServer.builder()
                .host(host)
                .port(port)
                .service(Pr.SERVICE_ID, (call, req) -> handle(call, req, this::servePr))
                .service(UbikDebug.VOTE_SERVICE_ID, (call, req) -> handle(call, req, b -> ubik.serveVote(b)))
                .service(UbikDebug.DISK_SERVICE_ID, (call, req) -> handle(call, req, b -> ubik.serveDisk(b)))
                .bind();
        log.info("ptserver serving PR (73), VOTE (50), DISK (51) on udp {}", server.address());
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.address();
    }

    private ByteBuffer servePr(ByteBuffer request) {
        // Security classes are not wired in yet: every caller is anonymous (rxnull), as OpenAFS treats rxnull.
        int cid = pr.callerId(Optional.empty());
        try {
            return prWire.serve(cid, request);
        } catch (DuplicateKeyException e) {
            throw PrError.PREXIST.exception();
        } catch (DataAccessException e) {
            log.warn("PR call failed in the database", e);
            throw PrError.PRDBFAIL.exception();
        }
    }

    private Publisher<ByteBuffer> handle(
            RxCallInfo call, Flux<ByteBuffer> request, Function<ByteBuffer, ByteBuffer> serve) {
        return request.collect(BoundedBytes::new, BoundedBytes::add)
                .publishOn(blocking)
                .map(bytes -> serve.apply(bytes.toByteBuffer()))
                .doOnError(e -> {
                    if (!(e instanceof RxAbortException)) {
                        log.warn("call {} failed", call, e);
                    }
                });
    }

    /** Gathers a request's packets, refusing more than {@link #MAX_REQUEST_BYTES}. */
    private static final class BoundedBytes {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);

        void add(ByteBuffer b) {
            if (bytes.size() + b.remaining() > MAX_REQUEST_BYTES) {
                throw new RxAbortException(
                        XdrIn.RXGEN_SS_UNMARSHAL, "request larger than " + MAX_REQUEST_BYTES + " bytes");
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            bytes.writeBytes(chunk);
        }

        ByteBuffer toByteBuffer() {
            return ByteBuffer.wrap(bytes.toByteArray());
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
