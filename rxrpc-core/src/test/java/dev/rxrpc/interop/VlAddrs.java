package dev.rxrpc.interop;

import dev.rxrpc.RxAbortException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The two VL RPCs {@code vos listaddrs} makes, over a fixed table of two file servers, in the XDR of OpenAFS's
 * {@code vldbint.xg} (as installed in {@code /usr/include/afs/vldbint.h}):
 *
 * <ul>
 *   <li>VL_GetAddrs (515): IN {@code Handle, spare2}; OUT {@code VLCallBack} (4 x uint32), {@code nentries},
 *       {@code bulkaddrs} (uint32 array, addresses in host order = big-endian on the wire).
 *   <li>VL_GetAddrsU (533): IN {@code ListAddrByAttributes} (Mask, ipaddr, index, spare1, afsUUID); OUT
 *       {@code afsUUID}, {@code uniquifier}, {@code nentries}, {@code bulkaddrs}. By index (Mask VLADDR_INDEX), 1-based;
 *       past the end {@code VL_INDEXERANGE}; by UUID or address, the matching server or {@code VL_NOENT}.
 * </ul>
 *
 * <p>An afsUUID is XDR'd field by field, each in 4 bytes: time_low, time_mid, time_hi_and_version,
 * clock_seq_hi_and_reserved, clock_seq_low, then node[6] as six chars (44 bytes).
 */
final class VlAddrs {

    static final int SERVICE = 52;
    static final int GET_ADDRS = 515;
    static final int GET_ADDRS_U = 533;
    static final int VL_NOENT = 363524;
    static final int VL_INDEXERANGE = 363549;
    static final int RXGEN_OPCODE = -455;
    static final int RXGEN_SS_UNMARSHAL = -453;
    static final int VLADDR_IPADDR = 1;
    static final int VLADDR_INDEX = 2;
    static final int VLADDR_UUID = 4;
    static final int UUID_XDR_BYTES = 44;

    /** One registered file server: its UUID (16 bytes, afsUUID field order), uniquifier and addresses. */
    record Server(byte[] uuid, int uniquifier, int[] addrs) {

        /** As {@code afsUUID_to_string} prints it. */
        String uuidText() {
            ByteBuffer u = ByteBuffer.wrap(uuid);
            StringBuilder sb = new StringBuilder(String.format(
                    "%08x-%04x-%04x-%02x-%02x-",
                    u.getInt(), u.getShort() & 0xffff, u.getShort() & 0xffff, u.get() & 0xff, u.get() & 0xff));
            while (u.hasRemaining()) {
                sb.append(String.format("%02x", u.get() & 0xff));
            }
            return sb.toString();
        }
    }

    static final List<Server> SERVERS = List.of(
            new Server(
                    bytes(
                            0x01, 0x23, 0x45, 0x67, 0x09, 0x2b, 0x4d, 0x6f, 0x10, 0x32, 0x54, 0x76, 0x18, 0x3a, 0x5c,
                            0x7e),
                    7,
                    new int[] {0x0a_4d_01_05, 0xc0_00_02_07}),
            new Server(
                    bytes(
                            0x7f, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                            0x08),
                    1,
                    new int[] {0xc6_33_64_2a}));

    private VlAddrs() {}

    /** The reply to one request (its opcode already read), or the RPC's error as an abort. */
    static ByteBuffer answer(int opcode, ByteBuffer req) throws RxAbortException {
        try {
            return switch (opcode) {
                case GET_ADDRS -> getAddrs(req);
                case GET_ADDRS_U -> getAddrsU(req);
                default -> throw new RxAbortException(RXGEN_OPCODE);
            };
        } catch (BufferUnderflowException e) {
            throw new RxAbortException(RXGEN_SS_UNMARSHAL);
        }
    }

    private static ByteBuffer getAddrs(ByteBuffer req) throws RxAbortException {
        req.getInt(); // Handle
        req.getInt(); // spare2
        end(req);
        ByteBuffer out = ByteBuffer.allocate(16 + 4 + 4 + 4 * SERVERS.size());
        out.putInt(0).putInt(0).putInt(0).putInt(0); // VLCallBack: unused
        out.putInt(SERVERS.size());
        out.putInt(SERVERS.size());
        for (Server s : SERVERS) {
            out.putInt(s.addrs()[0]);
        }
        return out.flip();
    }

    private static ByteBuffer getAddrsU(ByteBuffer req) throws RxAbortException {
        int mask = req.getInt();
        int ipaddr = req.getInt();
        int index = req.getInt();
        req.getInt(); // spare1
        byte[] uuid = readUuid(req);
        end(req);
        Server found = null;
        if (mask == VLADDR_INDEX) {
            if (index < 1 || index > SERVERS.size()) {
                throw new RxAbortException(VL_INDEXERANGE);
            }
            found = SERVERS.get(index - 1);
        } else if (mask == VLADDR_UUID) {
            found = SERVERS.stream()
                    .filter(s -> java.util.Arrays.equals(s.uuid(), uuid))
                    .findFirst()
                    .orElse(null);
        } else if (mask == VLADDR_IPADDR) {
            found = SERVERS.stream()
                    .filter(s -> java.util.Arrays.stream(s.addrs()).anyMatch(a -> a == ipaddr))
                    .findFirst()
                    .orElse(null);
        }
        if (found == null) {
            throw new RxAbortException(VL_NOENT);
        }
        ByteBuffer out = ByteBuffer.allocate(UUID_XDR_BYTES + 4 + 4 + 4 + 4 * found.addrs().length);
        writeUuid(out, found.uuid());
        out.putInt(found.uniquifier());
        out.putInt(found.addrs().length);
        out.putInt(found.addrs().length);
        for (int a : found.addrs()) {
            out.putInt(a);
        }
        return out.flip();
    }

    static void writeUuid(ByteBuffer out, byte[] u) {
        ByteBuffer in = ByteBuffer.wrap(u);
        out.putInt(in.getInt());
        out.putInt(in.getShort() & 0xffff);
        out.putInt(in.getShort() & 0xffff);
        while (in.hasRemaining()) {
            out.putInt(in.get()); // xdr_char: a (signed) char widened to an int
        }
    }

    static byte[] readUuid(ByteBuffer req) {
        ByteBuffer u = ByteBuffer.allocate(16);
        u.putInt(req.getInt());
        u.putShort((short) req.getInt());
        u.putShort((short) req.getInt());
        for (int i = 0; i < 8; i++) {
            u.put((byte) req.getInt());
        }
        return u.array();
    }

    private static void end(ByteBuffer req) throws RxAbortException {
        if (req.hasRemaining()) {
            throw new RxAbortException(RXGEN_SS_UNMARSHAL);
        }
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }
}
