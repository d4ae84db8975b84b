package dev.rxrpc.examples.ptserver.rpc;

import dev.rxrpc.examples.ptserver.pr.Pr;
import dev.rxrpc.spring.annotation.XdrArray;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * rxgen's {@code prname}, a C {@code char name[64]}: XDR sends each char as its own 4-byte int, so a name takes 256
 * bytes, NUL-padded. (An XDR string would be length-prefixed and packed; ptint.xg uses both forms.)
 */
public record PrName(@XdrArray(fixed = Pr.MAX_NAME_LEN) List<Byte> chars) {

    /** The name, NUL-padded to 64 chars (truncated to 63 so a terminating NUL always remains). */
    public static PrName of(String name) {
        byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
        List<Byte> chars = new ArrayList<>(Pr.MAX_NAME_LEN);
        for (int i = 0; i < Pr.MAX_NAME_LEN; i++) {
            chars.add(i < b.length && i < Pr.MAX_NAME_LEN - 1 ? b[i] : 0);
        }
        return new PrName(chars);
    }

    /** The chars up to the first NUL. */
    public String value() {
        byte[] b = new byte[chars.size()];
        int n = 0;
        for (Byte c : chars) {
            if (c == null || c == 0) {
                break;
            }
            b[n++] = c;
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }
}
