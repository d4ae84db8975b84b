package dev.rxrpc.spring.autoconfigure;

import dev.rxrpc.security.rxkad.ServerKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The cell's server keys the application was given ({@code rxrpc.security.key-dir} and/or {@code keytab}), read once
 * at startup: the rxkad server verifies tickets with them and {@code local-auth} client groups mint tickets from them.
 * Immutable.
 */
public final class RxRpcKeyMaterial {

    private final Optional<ServerKeys> keys;
    private final String source;

    private RxRpcKeyMaterial(Optional<ServerKeys> keys, String source) {
        this.keys = keys;
        this.source = source;
    }

    /** No keys. */
    public static RxRpcKeyMaterial none() {
        return new RxRpcKeyMaterial(Optional.empty(), "none");
    }

    /** Keys given directly (tests, programmatic setups). */
    public static RxRpcKeyMaterial of(ServerKeys keys, String source) {
        return new RxRpcKeyMaterial(Optional.of(keys), source);
    }

    /**
     * Reads the keys the properties name.
     *
     * @throws InvalidRxRpcPropertyException naming the property to fix: a key-dir that is not a readable directory,
     *     holds neither KeyFile nor KeyFileExt, holds malformed ones or no key at all; an unreadable keytab
     */
    public static RxRpcKeyMaterial load(RxRpcSecurityProperties props) {
        if (!props.hasKeys()) {
            return none();
        }
        ServerKeys keys = ServerKeys.of(java.util.List.of(), java.util.List.of());
        StringBuilder source = new StringBuilder();
        if (props.keyDir() != null && !props.keyDir().isBlank()) {
            Path dir = Path.of(props.keyDir());
            if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
                throw new InvalidRxRpcPropertyException(
                        "rxrpc.security.key-dir",
                        props.keyDir(),
                        "a readable directory holding the cell's KeyFile and/or KeyFileExt (OpenAFS formats, as in"
                                + " /etc/openafs/server)");
            }
            try {
                keys = ServerKeys.load(dir);
            } catch (IOException | RuntimeException e) {
                throw new InvalidRxRpcPropertyException(
                        "rxrpc.security.key-dir",
                        props.keyDir(),
                        "a directory with a readable, well-formed KeyFile and/or KeyFileExt (" + e.getMessage() + ")");
            }
            source.append("key-dir ").append(dir);
        }
        if (props.keytab() != null && !props.keytab().isBlank()) {
            Path keytab = Path.of(props.keytab());
            if (!Files.isRegularFile(keytab) || !Files.isReadable(keytab)) {
                throw new InvalidRxRpcPropertyException(
                        "rxrpc.security.keytab", props.keytab(), "a readable MIT keytab file");
            }
            try {
                keys = keys.withKeytab(keytab);
            } catch (IOException | RuntimeException e) {
                throw new InvalidRxRpcPropertyException(
                        "rxrpc.security.keytab",
                        props.keytab(),
                        "a readable MIT keytab (format 0x502) (" + e.getMessage() + ")");
            }
            source.append(source.isEmpty() ? "" : " + ").append("keytab ").append(keytab);
        }
        if (keys.isEmpty()) {
            throw new InvalidRxRpcPropertyException(
                    props.keyDir() != null ? "rxrpc.security.key-dir" : "rxrpc.security.keytab",
                    props.keyDir() != null ? props.keyDir() : props.keytab(),
                    "key material with at least one key (the KeyFile/KeyFileExt/keytab found holds none; add one"
                            + " with OpenAFS's asetkey)");
        }
        return new RxRpcKeyMaterial(Optional.of(keys), source.toString());
    }

    /** The keys, if any. */
    public Optional<ServerKeys> keys() {
        return keys;
    }

    /** Where they came from, for logs. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "RxRpcKeyMaterial[" + source + ", "
                + keys.map(ServerKeys::toString).orElse("no keys") + "]";
    }
}
