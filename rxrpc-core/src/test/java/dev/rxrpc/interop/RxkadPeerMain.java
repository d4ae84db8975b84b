package dev.rxrpc.interop;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxClient;
import dev.rxrpc.RxServer;
import dev.rxrpc.security.RxIdentity;
import dev.rxrpc.security.rxkad.RxkadClient;
import dev.rxrpc.security.rxkad.RxkadLevel;
import dev.rxrpc.security.rxkad.RxkadServer;
import dev.rxrpc.security.rxkad.ServerKeys;
import dev.rxrpc.transport.UdpTransportOptions;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Our rxkad side of the OpenAFS interop tests, run as its own JVM inside the test's network namespace (a JVM cannot
 * enter one itself).
 *
 * <ul>
 *   <li>{@code server KEYDIR HOST PORT}: a PR service (73) with rxkad keys from KEYDIR that answers PR_ListMax (510)
 *       with uid 42, gid -7, printing {@code CALL opcode=.. index=.. identity=..} per call, {@code READY} once
 *       bound; runs until stdin closes.
 *   <li>{@code vl KEYDIR HOST PORT}: a minimal VL service (52) for {@code vos listaddrs}: VL_GetAddrs (515) and
 *       VL_GetAddrsU (533) over the two file servers of {@link VlAddrs}, with the same {@code CALL}/{@code READY}
 *       lines.
 *   <li>{@code client KEYDIR HOST PORT LEVEL}: one PR_ListMax with a -localauth ticket minted from KEYDIR at LEVEL;
 *       prints {@code OK uid gid kvno=N} or {@code ABORT code}.
 * </ul>
 */
public final class RxkadPeerMain {

    static final int PR_SERVICE = 73;
    static final int PR_LISTMAX = 510;

    private RxkadPeerMain() {}

    public static void main(String[] args) throws Exception {
        Path keyDir = Path.of(args[1]);
        ServerKeys keys = ServerKeys.load(keyDir);
        String host = args[2];
        int port = Integer.parseInt(args[3]);
        if (args[0].equals("vl")) {
            RxkadServer rxkad = new RxkadServer(keys, RxkadLevel.CLEAR, InstantSource.system());
            try (RxServer server = RxServer.builder()
                    .host(host)
                    .port(port)
                    .security(rxkad)
                    .service(
                            VlAddrs.SERVICE,
                            (call, request) -> request.reduce(new ByteArrayOutputStream(), (o, b) -> {
                                        byte[] a = new byte[b.remaining()];
                                        b.get(a);
                                        o.writeBytes(a);
                                        return o;
                                    })
                                    .flatMap(o -> {
                                        ByteBuffer req = ByteBuffer.wrap(o.toByteArray());
                                        int opcode = req.remaining() >= 4 ? req.getInt() : -1;
                                        System.out.println("CALL opcode=" + opcode + " index=" + call.securityIndex()
                                                + " identity="
                                                + call.identity()
                                                        .map(RxIdentity::toString)
                                                        .orElse("none"));
                                        System.out.flush();
                                        try {
                                            return Mono.just(VlAddrs.answer(opcode, req));
                                        } catch (RxAbortException e) {
                                            return Mono.error(e);
                                        }
                                    }))
                    .bind()) {
                System.out.println("READY " + server.address());
                System.out.flush();
                while (System.in.read() >= 0) {
                    // serve until the test closes our stdin
                }
            }
        } else if (args[0].equals("server")) {
            RxkadServer rxkad = new RxkadServer(keys, RxkadLevel.CLEAR, InstantSource.system());
            try (RxServer server = RxServer.builder()
                    .host(host)
                    .port(port)
                    .security(rxkad)
                    .service(
                            PR_SERVICE,
                            (call, request) -> request.reduce(new ByteArrayOutputStream(), (o, b) -> {
                                        byte[] a = new byte[b.remaining()];
                                        b.get(a);
                                        o.writeBytes(a);
                                        return o;
                                    })
                                    .flatMap(o -> {
                                        ByteBuffer req = ByteBuffer.wrap(o.toByteArray());
                                        int opcode = req.remaining() >= 4 ? req.getInt() : -1;
                                        System.out.println("CALL opcode=" + opcode + " index=" + call.securityIndex()
                                                + " identity="
                                                + call.identity()
                                                        .map(RxIdentity::toString)
                                                        .orElse("none"));
                                        System.out.flush();
                                        if (opcode != PR_LISTMAX) {
                                            return Mono.error(new RxAbortException(-455));
                                        }
                                        return Mono.just(ByteBuffer.allocate(8)
                                                .putInt(42)
                                                .putInt(-7)
                                                .flip());
                                    }))
                    .bind()) {
                System.out.println("READY " + server.address());
                System.out.flush();
                while (System.in.read() >= 0) {
                    // serve until the test closes our stdin
                }
                System.out.println("STATS " + rxkad.stats().snapshot());
            }
        } else {
            int level = RxkadLevel.parse(args[4]);
            RxkadClient creds = RxkadClient.localAuth(keys, level, InstantSource.system(), new SecureRandom());
            try (RxClient client =
                    RxClient.create(UdpTransportOptions.defaults().withHost("0.0.0.0"))) {
                byte[] reply = client.call(
                                new InetSocketAddress(host, port),
                                PR_SERVICE,
                                creds,
                                Flux.just(ByteBuffer.allocate(4)
                                        .putInt(PR_LISTMAX)
                                        .flip()))
                        .reduce(new ByteArrayOutputStream(), (o, b) -> {
                            byte[] a = new byte[b.remaining()];
                            b.get(a);
                            o.writeBytes(a);
                            return o;
                        })
                        .map(ByteArrayOutputStream::toByteArray)
                        .block(Duration.ofSeconds(30));
                ByteBuffer r = ByteBuffer.wrap(reply);
                System.out.println("OK " + r.getInt() + " " + r.getInt() + " kvno="
                        + creds.token().kvno());
            } catch (RxAbortException e) {
                System.out.println("ABORT " + e.code());
            }
        }
        System.out.flush();
    }
}
