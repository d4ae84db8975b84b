package dev.rxrpc.interop;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxClient;
import dev.rxrpc.RxServer;
import dev.rxrpc.security.RxIdentity;
import dev.rxrpc.security.rxkad.Krb5Tickets;
import dev.rxrpc.security.rxkad.RxkadClient;
import dev.rxrpc.security.rxkad.RxkadLevel;
import dev.rxrpc.security.rxkad.RxkadServer;
import dev.rxrpc.security.rxkad.RxkadToken;
import dev.rxrpc.security.rxkad.ServerKeys;
import dev.rxrpc.security.rxkad.Ticket;
import dev.rxrpc.transport.UdpTransportOptions;
import dev.rxrpc.xdr.XdrWriter;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
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
 *   <li>{@code client KEYDIR HOST PORT LEVEL [expired]}: one PR_ListMax with a -localauth ticket minted from KEYDIR
 *       at LEVEL (or, with {@code expired}, a ticket that ended an hour ago: {@link #credentials}); prints
 *       {@code OK uid gid kvno=N} or {@code ABORT code}.
 *   <li>{@code vlclient KEYDIR HOST PORT LEVEL [expired]}: VL_Probe (514) and then VL_GetEntryByNameN (519) of
 *       "no.such.volume" to a VL server (52) over one connection, with the same credentials; prints
 *       {@code PROBE OK n} and {@code GETENTRYBYNAMEN OK n} (reply length) or {@code ... ABORT code} per call, then
 *       {@code CLIENT-REJECTED {reason=count..}}: what our client's rxkad refused itself ({} when it refused nothing).
 * </ul>
 */
public final class RxkadPeerMain {

    static final int PR_SERVICE = 73;
    static final int PR_LISTMAX = 510;
    static final String NO_SUCH_VOLUME = "no.such.volume";
    /** K4 life byte of the expired ticket: 12 x 5 minutes. */
    static final int EXPIRED_LIFE = 12;

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
        } else if (args[0].equals("vlclient")) {
            RxkadClient creds = credentials(keys, args);
            try (RxClient client =
                    RxClient.create(UdpTransportOptions.defaults().withHost("0.0.0.0"))) {
                InetSocketAddress to = new InetSocketAddress(host, port);
                System.out.println("PROBE "
                        + outcome(
                                client,
                                to,
                                OpenAfsDbClientMain.VL_SERVICE,
                                creds,
                                xdr(w -> w.writeInt(OpenAfsDbClientMain.VL_PROBE))));
                System.out.println("GETENTRYBYNAMEN "
                        + outcome(
                                client,
                                to,
                                OpenAfsDbClientMain.VL_SERVICE,
                                creds,
                                xdr(w -> w.writeInt(OpenAfsDbClientMain.VL_GET_ENTRY_BY_NAME_N)
                                        .writeString(NO_SUCH_VOLUME, OpenAfsDbClientMain.VL_MAX_NAME))));
                System.out.println("CLIENT-REJECTED " + creds.stats().snapshot());
            }
        } else {
            RxkadClient creds = credentials(keys, args);
            try (RxClient client =
                    RxClient.create(UdpTransportOptions.defaults().withHost("0.0.0.0"))) {
                byte[] reply = call(
                        client,
                        new InetSocketAddress(host, port),
                        PR_SERVICE,
                        creds,
                        ByteBuffer.allocate(4).putInt(PR_LISTMAX).flip());
                ByteBuffer r = ByteBuffer.wrap(reply);
                System.out.println("OK " + r.getInt() + " " + r.getInt() + " kvno="
                        + creds.token().kvno());
            } catch (RxAbortException e) {
                System.out.println("ABORT " + e.code());
            }
        }
        System.out.flush();
    }

    /**
     * The -localauth credentials at {@code args[4]}'s level; with {@code args[5] = "expired"} instead a ticket of the
     * same form (rxkad-k5 if KEYDIR has a Kerberos 5 key, else K4) for "afs" that started two hours ago and ended
     * one hour ago (K4 life byte 12 = 60 minutes), used with a clock two hours slow so that our client itself still
     * takes the token as valid.
     */
    static RxkadClient credentials(ServerKeys keys, String[] args) {
        int level = RxkadLevel.parse(args[4]);
        if (args.length < 6 || !args[5].equals("expired")) {
            return RxkadClient.localAuth(keys, level, InstantSource.system(), new SecureRandom());
        }
        long now = Instant.now().getEpochSecond();
        long start = now - 2 * 3600;
        long end = start + EXPIRED_LIFE * 300L;
        byte[] session = Ticket.randomSessionKey(new SecureRandom());
        Optional<ServerKeys.Krb5Key> k5 = keys.localAuthKrb5();
        RxkadToken token;
        if (k5.isPresent()) {
            token = new RxkadToken(
                    Krb5Tickets.KVNO_ENCPART_ONLY,
                    session,
                    Krb5Tickets.encodeLocalAuth(k5.get(), session, start, end),
                    end);
        } else {
            ServerKeys.DesKey des = keys.newestDes().orElseThrow();
            token = new RxkadToken(
                    des.kvno(), session, Ticket.encodeK4("afs", "", "", session, EXPIRED_LIFE, start, des.key()), end);
        }
        return new RxkadClient(token, level, InstantSource.offset(InstantSource.system(), Duration.ofHours(-2)));
    }

    static ByteBuffer xdr(java.util.function.Consumer<XdrWriter> request) {
        io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer();
        try {
            request.accept(new XdrWriter(out));
            ByteBuffer copy = ByteBuffer.allocate(out.readableBytes());
            out.readBytes(copy);
            return copy.flip();
        } finally {
            out.release();
        }
    }

    /** {@code OK n} (the reply's length in bytes) or {@code ABORT code}. */
    static String outcome(RxClient client, InetSocketAddress to, int service, RxkadClient creds, ByteBuffer request) {
        try {
            return "OK " + call(client, to, service, creds, request).length;
        } catch (RxAbortException e) {
            return "ABORT " + e.code();
        }
    }

    static byte[] call(RxClient client, InetSocketAddress to, int service, RxkadClient creds, ByteBuffer request) {
        return client.call(to, service, creds, Flux.just(request))
                .reduce(new ByteArrayOutputStream(), (o, b) -> {
                    byte[] a = new byte[b.remaining()];
                    b.get(a);
                    o.writeBytes(a);
                    return o;
                })
                .map(ByteArrayOutputStream::toByteArray)
                .block(Duration.ofSeconds(30));
    }
}
