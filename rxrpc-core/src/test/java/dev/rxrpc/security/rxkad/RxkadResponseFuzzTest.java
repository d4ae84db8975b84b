package dev.rxrpc.security.rxkad;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rxrpc.security.ConnectionParams;
import dev.rxrpc.security.RxSecurityException;
import dev.rxrpc.wire.MalformedPacketException;
import dev.rxrpc.wire.PacketCodec;
import dev.rxrpc.wire.ResponsePacket;
import dev.rxrpc.wire.RxPacket;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target of everything rxkad parses from the network or from key files: a datagram is decoded as a RESPONSE
 * and checked by the server (K4 and rxkad-k5 ticket paths, with the golden cell's real keys, so that the fuzzer can
 * get past decryption when it starts from the golden responses), and the same bytes are read as K4/krb5 tickets and
 * as KeyFile/KeyFileExt/keytab. Each step either succeeds or fails with its typed exception
 * ({@link RxSecurityException}, {@link MalformedPacketException}, {@link IOException}); anything else is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the seed corpus in
 * {@code src/test/resources/dev/rxrpc/security/rxkad/RxkadResponseFuzzTestInputs/responseAndTicketParsing/} (the
 * golden RESPONSE datagrams). To fuzz:
 *
 * <pre>JAZZER_FUZZ=1 ./mvnw -pl rxrpc-core test -Dtest=RxkadResponseFuzzTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class RxkadResponseFuzzTest {

    static final InstantSource NOW = InstantSource.fixed(Instant.parse("2026-11-27T12:00:00Z"));
    static final ServerKeys KEYS;
    static final RxkadServer SERVER;

    static {
        try {
            KEYS = RxkadVectorsTest.goldenKeys();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
        SERVER = new RxkadServer(KEYS, RxkadLevel.CLEAR, NOW, RxkadVectorsTest.seeded(1));
    }

    @FuzzTest(maxDuration = "10s")
    void responseAndTicketParsing(byte[] input) throws Throwable {
        List<RxPacket> packets = new ArrayList<>();
        try {
            PacketCodec.decode(Unpooled.wrappedBuffer(input), packets);
            if (!packets.isEmpty() && packets.get(0) instanceof ResponsePacket r) {
                WireHeader h = r.header();
                ConnectionParams conn =
                        new ConnectionParams(h.epoch(), h.connectionId(), h.securityIndex(), h.serviceId());
                try {
                    SERVER.verify(conn, 0, r);
                } catch (RxSecurityException expected) {
                    // typed refusal
                }
                parseTickets(r.ticket());
            }
        } catch (MalformedPacketException expected) {
            // typed refusal
        } finally {
            PacketCodec.releaseAll(packets);
        }
        parseTickets(input);
        parseKeyFiles(input);
    }

    private static void parseTickets(byte[] ticket) {
        try {
            Ticket.decodeK4(ticket, KEYS.des(2).orElseThrow().key());
        } catch (RxSecurityException expected) {
            // typed refusal
        }
        for (int kvno : new int[] {Krb5Tickets.KVNO_ENCPART_ONLY, Krb5Tickets.KVNO_FULL_TICKET}) {
            try {
                Krb5Tickets.decode(kvno, ticket, KEYS, NOW.instant().getEpochSecond());
            } catch (RxSecurityException expected) {
                // typed refusal
            }
        }
    }

    private static void parseKeyFiles(byte[] bytes) {
        try {
            ServerKeys.readKeyFile(bytes, "fuzz");
        } catch (IOException expected) {
            // typed refusal
        }
        try {
            ServerKeys.readKeyFileExt(bytes, "fuzz", new ArrayList<>(), new ArrayList<>());
        } catch (IOException expected) {
            // typed refusal
        }
        try {
            ServerKeys.readKeytab(bytes, "fuzz");
        } catch (IOException expected) {
            // typed refusal
        }
    }
}
