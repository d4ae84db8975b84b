package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * RESPONSE (connection level, callNumber 0): the client's answer to a {@link ChallengePacket}, in rxkad's v2 form
 * (OpenAFS {@code struct rxkad_v2Response}; Linux {@code rxkad_response}): version, spare, a 40-byte block
 * encrypted with the session key (epoch, cid, checksum, securityIndex, callNumbers[4], nonce + 1, level), kvno,
 * ticket length, ticket. The encrypted block is carried opaque: only the security class can open it.
 *
 * @param header packet header, type {@link PacketType#RESPONSE}
 * @param version response version, 2
 * @param spare unused, 0
 * @param encrypted the 40-byte sealed block; owned by this record
 * @param kvno key version of the ticket (213 marks an rxkad-k5 ticket, 256 a full Kerberos 5 ticket)
 * @param ticket the ticket, at most {@link #MAX_TICKET_LENGTH} bytes; owned by this record
 */
public record ResponsePacket(WireHeader header, int version, int spare, byte[] encrypted, int kvno, byte[] ticket)
        implements RxPacket {

    /** rxkad's current response version. */
    public static final int VERSION_2 = 2;
    /** Size of the sealed block. */
    public static final int ENCRYPTED_SIZE = 40;
    /** Fixed body bytes before the ticket. */
    public static final int FIXED_BODY_SIZE = 8 + ENCRYPTED_SIZE + 8;
    /** Largest ticket an AFS peer may send (OpenAFS {@code MAXKTCTICKETLEN}). */
    public static final int MAX_TICKET_LENGTH = 12000;

    public ResponsePacket {
        PacketCodec.requireType(header, PacketType.RESPONSE);
        if (encrypted.length != ENCRYPTED_SIZE) {
            throw new IllegalArgumentException("sealed block must be " + ENCRYPTED_SIZE + " bytes");
        }
        if (ticket.length > MAX_TICKET_LENGTH) {
            throw new IllegalArgumentException("ticket longer than " + MAX_TICKET_LENGTH);
        }
    }

    static ResponsePacket decode(WireHeader header, ByteBuf body) throws MalformedPacketException {
        int r = body.readerIndex();
        int len = body.readableBytes();
        if (len < 4) {
            throw new MalformedPacketException(MalformedPacketException.Reason.TRUNCATED_RESPONSE, len + " body bytes");
        }
        int version = body.getInt(r);
        if (version != VERSION_2) {
            throw new MalformedPacketException(
                    MalformedPacketException.Reason.UNSUPPORTED_VERSION, "response version " + version);
        }
        if (len < FIXED_BODY_SIZE) {
            throw new MalformedPacketException(MalformedPacketException.Reason.TRUNCATED_RESPONSE, len + " body bytes");
        }
        byte[] encrypted = new byte[ENCRYPTED_SIZE];
        body.getBytes(r + 8, encrypted);
        int kvno = body.getInt(r + 8 + ENCRYPTED_SIZE);
        long ticketLen = Integer.toUnsignedLong(body.getInt(r + 12 + ENCRYPTED_SIZE));
        if (ticketLen > MAX_TICKET_LENGTH) {
            throw new MalformedPacketException(
                    MalformedPacketException.Reason.OVERSIZE_TICKET, "ticket of " + ticketLen + " bytes");
        }
        if (len - FIXED_BODY_SIZE < ticketLen) {
            throw new MalformedPacketException(
                    MalformedPacketException.Reason.TRUNCATED_RESPONSE,
                    "ticket of " + ticketLen + " bytes but " + (len - FIXED_BODY_SIZE) + " left");
        }
        byte[] ticket = new byte[(int) ticketLen];
        body.getBytes(r + FIXED_BODY_SIZE, ticket);
        return new ResponsePacket(header, version, body.getInt(r + 4), encrypted, kvno, ticket);
    }

    @Override
    public int encodedSize() {
        return WireHeader.SIZE + FIXED_BODY_SIZE + ticket.length;
    }

    @Override
    public void encodeTo(ByteBuf out) {
        out.ensureWritable(encodedSize());
        header.encode(out);
        out.writeInt(version);
        out.writeInt(spare);
        out.writeBytes(encrypted);
        out.writeInt(kvno);
        out.writeInt(ticket.length);
        out.writeBytes(ticket);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResponsePacket p
                && header.equals(p.header)
                && version == p.version
                && spare == p.spare
                && kvno == p.kvno
                && Arrays.equals(encrypted, p.encrypted)
                && Arrays.equals(ticket, p.ticket);
    }

    @Override
    public int hashCode() {
        return header.hashCode() * 31 + Arrays.hashCode(ticket);
    }

    @Override
    public String toString() {
        return "RESPONSE[" + header + " version=" + version + " kvno=" + kvno + " ticketLen=" + ticket.length
                + " encrypted=" + HexFormat.of().formatHex(encrypted) + "]";
    }
}
