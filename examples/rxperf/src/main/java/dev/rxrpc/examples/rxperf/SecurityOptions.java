package dev.rxrpc.examples.rxperf;

import dev.rxrpc.security.SecurityClass;
import dev.rxrpc.security.rxkad.RxkadClient;
import dev.rxrpc.security.rxkad.RxkadLevel;
import dev.rxrpc.security.rxkad.RxkadServer;
import dev.rxrpc.security.rxkad.ServerKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;

/**
 * rxperf's security, as OpenAFS's tools take it: {@code -k KEYDIR} (an OpenAFS server configuration directory holding
 * {@code KeyFile} and/or {@code KeyFileExt}), the client's {@code -l clear|auth|crypt} and {@code -5}.
 *
 * @param keys the cell's server keys, or null for rxnull only
 * @param level the client's level; on the server the lowest level accepted
 * @param krb5 client: send an rxkad-k5 ticket (kvno 213, sealed with the newest KeyFileExt key of enctype 18, 17, 23
 *     or 16) instead of a K4 ticket sealed with the newest KeyFile DES key
 * @param allowRxnull server: also accept unauthenticated (rxnull) calls
 */
public record SecurityOptions(ServerKeys keys, int level, boolean krb5, boolean allowRxnull) {

    public SecurityOptions {
        if (level < RxkadLevel.CLEAR || level > RxkadLevel.CRYPT) {
            throw new IllegalArgumentException("rxkad level must be clear, auth or crypt");
        }
        if (keys == null && !allowRxnull) {
            throw new IllegalArgumentException("--no-rxnull needs -k KEYDIR (otherwise no call could be accepted)");
        }
    }

    /** rxnull only: OpenAFS rxperf's default. */
    public static SecurityOptions none() {
        return new SecurityOptions(null, RxkadLevel.CLEAR, false, true);
    }

    /**
     * Reads the keys of {@code dir}.
     *
     * @throws IllegalArgumentException naming the directory and what is wrong with it
     */
    public static ServerKeys loadKeys(Path dir) {
        try {
            ServerKeys keys = ServerKeys.load(dir);
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("-k " + dir + ": KeyFile and KeyFileExt hold no key");
            }
            return keys;
        } catch (IOException e) {
            throw new IllegalArgumentException("-k " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether calls use rxkad. */
    public boolean rxkad() {
        return keys != null;
    }

    /**
     * The client's credentials: a {@code -localauth}-style ticket for "afs" minted from the server keys, or null for
     * rxnull.
     *
     * @throws IllegalArgumentException if the keys lack what {@code -5} (or its absence) needs
     */
    public SecurityClass clientSecurity() {
        if (keys == null) {
            return null;
        }
        ServerKeys only;
        if (krb5) {
            ServerKeys.Krb5Key k = keys.localAuthKrb5()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "-5 needs a KeyFileExt rxkad_krb5 key of enctype 18, 17, 23 or 16 in the -k directory"));
            only = ServerKeys.of(List.of(), List.of(k));
        } else {
            ServerKeys.DesKey d = keys.newestDes()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "a DES-sealed ticket needs a KeyFile key in the -k directory (or pass -5)"));
            only = ServerKeys.of(List.of(d), List.of());
        }
        return RxkadClient.localAuth(only, level, InstantSource.system(), new SecureRandom());
    }

    /** The server's rxkad class (minimum level {@link #level()}), or null for rxnull only. */
    public RxkadServer serverSecurity() {
        return keys == null ? null : new RxkadServer(keys, level, InstantSource.system());
    }

    /** One word for reports: "rxnull", or the level and ticket form. */
    public String label() {
        return keys == null ? "rxnull" : RxkadLevel.name(level) + (krb5 ? "/k5" : "/des");
    }
}
