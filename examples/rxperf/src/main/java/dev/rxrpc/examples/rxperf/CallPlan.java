package dev.rxrpc.examples.rxperf;

import dev.rxrpc.examples.rxperf.RxperfProtocol.Op;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * The bytes of one client call, worked out once per run: the request's fields, how many payload bytes follow them, and
 * what the reply must be.
 *
 * @param head the request prefix and the op's fields
 * @param requestZeros payload bytes after {@code head}
 * @param requestCookie whether the request ends with the magic cookie
 * @param replyBytes payload bytes the reply must carry
 * @param replyCookie whether the reply must end with the magic cookie
 * @param payloadBytes bytes a call moves in both directions, for MB/s (fields and cookies excluded)
 */
record CallPlan(
        byte[] head,
        long requestZeros,
        boolean requestCookie,
        long replyBytes,
        boolean replyCookie,
        long payloadBytes) {

    static CallPlan of(ClientOptions o) {
        Op op = o.op();
        int[] prefix = {
            RxperfProtocol.VERSION, op.code(), RxperfProtocol.CLIENT_CHUNK_BYTES, RxperfProtocol.CLIENT_CHUNK_BYTES
        };
        return switch (op) {
            case SEND -> new CallPlan(fields(prefix, o.bytes()), o.bytes(), o.sendCookie(), 0, true, o.bytes());
            case RECV -> new CallPlan(fields(prefix, o.bytes()), 0, o.sendCookie(), o.bytes(), true, o.bytes());
            case RPC ->
                new CallPlan(
                        fields(prefix, o.sendBytes(), o.recvBytes()),
                        o.sendBytes(),
                        o.sendCookie(),
                        o.recvBytes(),
                        true,
                        (long) o.sendBytes() + o.recvBytes());
            case FILE -> file(prefix, phases(o));
        };
    }

    /** The phase list a FILE run uses: the given one, or {@code bytes} up then {@code bytes} down. */
    static List<Integer> phases(ClientOptions o) {
        if (!o.filePhases().isEmpty()) {
            return o.filePhases();
        }
        int words = o.bytes() / 4;
        return List.of(words, 0, words);
    }

    private static CallPlan file(int[] prefix, List<Integer> phases) {
        List<Integer> fields = new ArrayList<>();
        for (int v : prefix) {
            fields.add(v);
        }
        fields.add(phases.size());
        fields.addAll(phases);
        boolean clientSending = true;
        long up = 0;
        long down = 0;
        for (int p : phases) {
            if (p == 0) {
                clientSending = !clientSending;
            } else if (clientSending) {
                if (down > 0) {
                    throw new IllegalArgumentException(
                            "FILE phases: Rx cannot send request data after the reply has started");
                }
                up += Integer.toUnsignedLong(p) * 4;
            } else {
                down += Integer.toUnsignedLong(p) * 4;
            }
        }
        int[] f = fields.stream().mapToInt(Integer::intValue).toArray();
        return new CallPlan(Payload.ints(f), up, false, down, false, up + down);
    }

    private static byte[] fields(int[] prefix, int... args) {
        int[] all = new int[prefix.length + args.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(args, 0, all, prefix.length, args.length);
        return Payload.ints(all);
    }

    /** A fresh request body, generated as the engine pulls it. */
    Flux<ByteBuffer> request() {
        return Payload.of(head, requestZeros, requestCookie);
    }

    /** A checker for one reply. */
    ReplyChecker checker(boolean verifyContent) {
        return new ReplyChecker(replyBytes, replyCookie, verifyContent);
    }
}
