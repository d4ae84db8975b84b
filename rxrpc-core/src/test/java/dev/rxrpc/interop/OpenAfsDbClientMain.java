package dev.rxrpc.interop;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxClient;
import dev.rxrpc.transport.UdpTransportOptions;
import dev.rxrpc.xdr.XdrReader;
import dev.rxrpc.xdr.XdrWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;

/**
 * Our plain-Java client calling a real OpenAFS vlserver and ptserver: a few read-only RPCs, XDR by hand. Run by
 * {@link OpenAfsDbServerTest} as a child JVM inside the cell's network namespace ({@code ip netns exec}), because the
 * database servers live on an address that exists only there. Prints one {@code key=value} line per RPC (an abort
 * prints {@code abort CODE}); the test asserts on them. Exit code 0 unless something other than an RPC failed.
 *
 * <p>Usage: {@code OpenAfsDbClientMain ADDRESS}
 */
public final class OpenAfsDbClientMain {

    static final int VL_PORT = 7003;
    static final int VL_SERVICE = 52;
    static final int PR_PORT = 7002;
    static final int PR_SERVICE = 73;

    static final int VL_GET_STATS = 513;
    static final int VL_PROBE = 514;
    static final int VL_GET_ENTRY_BY_NAME_N = 519;
    static final int VL_GET_ENTRY_BY_NAME_U = 527;
    static final int VL_MAX_NAME = 65;

    static final int PR_NAME_TO_ID = 504;
    static final int PR_ID_TO_NAME = 505;
    static final int PR_LIST_MAX = 510;
    /** prname is char[64]; rxgen encodes each char of a fixed char array as its own XDR int. */
    static final int PR_MAX_NAME = 64;

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private OpenAfsDbClientMain() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: OpenAfsDbClientMain ADDRESS");
            System.exit(2);
        }
        InetSocketAddress vl = new InetSocketAddress(args[0], VL_PORT);
        InetSocketAddress pr = new InetSocketAddress(args[0], PR_PORT);
        // The servers are on a namespace address, not loopback: bind the wildcard address.
        try (RxClient client = RxClient.create(UdpTransportOptions.defaults().withHost("0.0.0.0"))) {
            report("vl.probe", () -> {
                XdrReader r = call(client, vl, VL_SERVICE, w -> w.writeInt(VL_PROBE));
                r.requireFullyConsumed();
                return "ok";
            });
            report("vl.getEntryByNameN.missing", () -> {
                call(
                        client,
                        vl,
                        VL_SERVICE,
                        w -> w.writeInt(VL_GET_ENTRY_BY_NAME_N).writeString("rxtest.no.such.volume", VL_MAX_NAME));
                return "reply";
            });
            report("vl.getEntryByNameU.missing", () -> {
                call(
                        client,
                        vl,
                        VL_SERVICE,
                        w -> w.writeInt(VL_GET_ENTRY_BY_NAME_U).writeString("rxtest.no.such.volume", VL_MAX_NAME));
                return "reply";
            });
            report("vl.getStats", () -> {
                XdrReader r = call(client, vl, VL_SERVICE, w -> w.writeInt(VL_GET_STATS));
                r.readUnsignedInt(); // start time
                r.readFixedIntArray(50); // requests per opcode
                r.readFixedIntArray(50); // aborts per opcode
                r.readFixedIntArray(5); // reserved
                int version = r.readInt();
                r.readInt(); // header size
                r.readInt(); // free pointer
                r.readInt(); // end of file pointer
                r.readInt(); // allocs
                r.readInt(); // frees
                long maxVolumeId = r.readUnsignedInt();
                int[] totals = r.readFixedIntArray(3);
                r.requireFullyConsumed();
                // The vlserver copies its on-disk header (stored in network byte order) into the reply without
                // converting it, then XDR-encodes it as host integers: on a little-endian server these words arrive
                // byte-swapped. We report them as the server meant them.
                return "version " + Integer.reverseBytes(version) + " maxVolumeId "
                        + Integer.toUnsignedString(Integer.reverseBytes((int) maxVolumeId)) + " entries "
                        + Integer.reverseBytes(totals[0]) + "," + Integer.reverseBytes(totals[1]) + ","
                        + Integer.reverseBytes(totals[2]);
            });
            report("pr.nameToId", () -> {
                List<String> names = List.of("rxalice", "system:administrators", "system:anyuser", "rxnobody");
                XdrReader r = call(client, pr, PR_SERVICE, w -> {
                    w.writeInt(PR_NAME_TO_ID).writeInt(names.size());
                    names.forEach(n -> writePrName(w, n));
                });
                int[] ids = r.readIntArray(1000);
                r.requireFullyConsumed();
                StringJoiner j = new StringJoiner(",");
                for (int i = 0; i < ids.length; i++) {
                    j.add(names.get(i) + ":" + ids[i]);
                }
                return j.toString();
            });
            report("pr.idToName", () -> {
                int[] ids = {5001, -204, -101};
                XdrReader r = call(
                        client, pr, PR_SERVICE, w -> w.writeInt(PR_ID_TO_NAME).writeIntArray(ids, ids.length));
                int n = r.readInt();
                List<String> names = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    names.add(readPrName(r));
                }
                r.requireFullyConsumed();
                StringJoiner j = new StringJoiner(",");
                for (int i = 0; i < names.size(); i++) {
                    j.add(ids[i] + ":" + names.get(i));
                }
                return j.toString();
            });
            report("pr.listMax", () -> {
                XdrReader r = call(client, pr, PR_SERVICE, w -> w.writeInt(PR_LIST_MAX));
                int uid = r.readInt();
                int gid = r.readInt();
                r.requireFullyConsumed();
                return uid + "," + gid;
            });
        }
        System.exit(0);
    }

    interface Rpc {
        String run() throws Exception;
    }

    static void report(String key, Rpc rpc) {
        String value;
        try {
            value = rpc.run();
        } catch (RxAbortException e) {
            value = "abort " + e.code() + (e.isRemote() ? "" : " (local)");
        } catch (Exception e) {
            value = "error " + e;
        }
        System.out.println(key + "=" + value);
        System.out.flush();
    }

    static XdrReader call(RxClient client, InetSocketAddress server, int service, Consumer<XdrWriter> request) {
        ByteBuf out = Unpooled.buffer();
        request.accept(new XdrWriter(out));
        ByteBuffer req = out.nioBuffer();
        List<ByteBuffer> reply = client.call(server, service, Flux.just(req))
                .map(b -> {
                    // Copied: the engine may reuse its buffers once we return.
                    ByteBuffer c = ByteBuffer.allocate(b.remaining());
                    c.put(b).flip();
                    return c;
                })
                .collectList()
                .block(TIMEOUT);
        ByteBuf all = Unpooled.wrappedBuffer(reply.toArray(ByteBuffer[]::new));
        return new XdrReader(all);
    }

    static void writePrName(XdrWriter w, String name) {
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < PR_MAX_NAME; i++) {
            w.writeInt(i < b.length ? b[i] : 0);
        }
    }

    static String readPrName(XdrReader r) throws Exception {
        StringBuilder sb = new StringBuilder();
        boolean ended = false;
        for (int i = 0; i < PR_MAX_NAME; i++) {
            int c = r.readInt();
            if (c == 0) {
                ended = true;
            } else if (!ended) {
                sb.append((char) (c & 0xff));
            }
        }
        return sb.toString();
    }
}
