package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;

/**
 * CHALLENGE (connection level, callNumber 0): the server asks the client to prove its identity. Body layout is the
 * security class's; this is rxkad's v2 form (OpenAFS {@code struct rxkad_v2Challenge}; Linux
 * {@code rxkad_challenge}): version, nonce, min_level, spare, four big-endian words. The pre-v2 form (challenge id
 * and level, 8 bytes) is decoded with {@code legacy} set so that old peers are at least recognised.
 *
 * @param header packet header, type {@link PacketType#CHALLENGE}
 * @param version challenge version (2 for v2; 0 for the legacy form)
 * @param nonce the value the client must return incremented by one, encrypted
 * @param minLevel lowest rxkad level the server accepts: 0 clear, 1 auth, 2 crypt
 * @param spare unused, 0
 * @param legacy whether this is the 8-byte pre-v2 form
 */
public record ChallengePacket(WireHeader header, int version, int nonce, int minLevel, int spare, boolean legacy)
        implements RxPacket {

    /** rxkad's current challenge version. */
    public static final int VERSION_2 = 2;
    /** Bytes of a v2 body. */
    public static final int V2_BODY_SIZE = 16;
    /** Bytes of a legacy body. */
    public static final int LEGACY_BODY_SIZE = 8;

    public ChallengePacket {
        PacketCodec.requireType(header, PacketType.CHALLENGE);
    }

    /** A v2 challenge, as we send it. */
    public static ChallengePacket v2(WireHeader header, int nonce, int minLevel) {
        return new ChallengePacket(header, VERSION_2, nonce, minLevel, 0, false);
    }

    static ChallengePacket decode(WireHeader header, ByteBuf body) throws MalformedPacketException {
        int r = body.readerIndex();
        int len = body.readableBytes();
        if (len >= V2_BODY_SIZE) {
            return new ChallengePacket(
                    header, body.getInt(r), body.getInt(r + 4), body.getInt(r + 8), body.getInt(r + 12), false);
        }
        if (len >= LEGACY_BODY_SIZE) {
            return new ChallengePacket(header, 0, body.getInt(r), body.getInt(r + 4), 0, true);
        }
        throw new MalformedPacketException(MalformedPacketException.Reason.TRUNCATED_CHALLENGE, len + " body bytes");
    }

    @Override
    public int encodedSize() {
        return WireHeader.SIZE + (legacy ? LEGACY_BODY_SIZE : V2_BODY_SIZE);
    }

    @Override
    public void encodeTo(ByteBuf out) {
        header.encode(out);
        if (legacy) {
            out.writeInt(nonce);
            out.writeInt(minLevel);
        } else {
            out.writeInt(version);
            out.writeInt(nonce);
            out.writeInt(minLevel);
            out.writeInt(spare);
        }
    }
}
