package dev.rxrpc.security.rxkad;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A cell's server keys, as OpenAFS keeps them: single-DES rxkad keys by kvno (KeyFile) and Kerberos 5 keys by kvno
 * and enctype (KeyFileExt type rxkad_krb5, or an MIT keytab). Immutable and thread-safe.
 */
public final class ServerKeys {

    /** A single-DES key of KeyFile. */
    public record DesKey(int kvno, byte[] key) {
        public DesKey {
            if (key.length != 8) {
                throw new IllegalArgumentException("DES keys are 8 bytes, kvno " + kvno + " has " + key.length);
            }
            key = key.clone();
        }
    }

    /** A Kerberos 5 key (KeyFileExt type 2 = rxkad_krb5, subtype = enctype). */
    public record Krb5Key(int kvno, int enctype, byte[] key) {
        public Krb5Key {
            key = key.clone();
        }
    }

    /** KeyFileExt key type of rxkad's Kerberos 5 keys. */
    public static final int TYPE_RXKAD = 0;

    /** KeyFileExt key type of rxkad's Kerberos 5 keys. */
    public static final int TYPE_RXKAD_KRB5 = 2;

    /** The enctypes OpenAFS 1.8's -localauth prefers, in order. */
    static final int[] LOCALAUTH_ENCTYPES = {18, 17, 23, 16};

    private final List<DesKey> des;
    private final List<Krb5Key> krb5;

    private ServerKeys(List<DesKey> des, List<Krb5Key> krb5) {
        this.des = List.copyOf(des);
        this.krb5 = List.copyOf(krb5);
    }

    /** Keys given directly. */
    public static ServerKeys of(List<DesKey> des, List<Krb5Key> krb5) {
        return new ServerKeys(des, krb5);
    }

    /**
     * Reads {@code KeyFile} and {@code KeyFileExt} from an OpenAFS server configuration directory (either may be
     * absent, not both).
     *
     * @throws IOException if neither exists or one is malformed (the message says which file and why)
     */
    public static ServerKeys load(Path dir) throws IOException {
        Path kf = dir.resolve("KeyFile");
        Path kfe = dir.resolve("KeyFileExt");
        if (!Files.exists(kf) && !Files.exists(kfe)) {
            throw new IOException("no KeyFile or KeyFileExt in " + dir);
        }
        List<DesKey> des = new ArrayList<>();
        List<Krb5Key> krb5 = new ArrayList<>();
        if (Files.exists(kf)) {
            des.addAll(readKeyFile(Files.readAllBytes(kf), kf.toString()));
        }
        if (Files.exists(kfe)) {
            readKeyFileExt(Files.readAllBytes(kfe), kfe.toString(), des, krb5);
        }
        return new ServerKeys(des, krb5);
    }

    /** Adds the keys of an MIT keytab (format 0x502) as Kerberos 5 keys. */
    public ServerKeys withKeytab(Path keytab) throws IOException {
        List<Krb5Key> more = new ArrayList<>(krb5);
        more.addAll(readKeytab(Files.readAllBytes(keytab), keytab.toString()));
        return new ServerKeys(des, more);
    }

    /** KeyFile: count, then count x {kvno, 8-byte DES key}, big-endian. */
    public static List<DesKey> readKeyFile(byte[] bytes, String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            int n = b.getInt();
            if (n < 0 || n > (bytes.length - 4) / 12) {
                throw new IOException(
                        name + ": key count " + n + " does not fit the file's " + bytes.length + " bytes");
            }
            List<DesKey> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int kvno = b.getInt();
                byte[] k = new byte[8];
                b.get(k);
                out.add(new DesKey(kvno, k));
            }
            return out;
        } catch (BufferUnderflowException e) {
            throw new IOException(name + ": truncated KeyFile", e);
        }
    }

    /** KeyFileExt: count, then records {metaLen, type, kvno, subtype, [metaLen - 16 more], keyLen, key}. */
    static void readKeyFileExt(byte[] bytes, String name, List<DesKey> des, List<Krb5Key> krb5) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            int n = b.getInt();
            if (n < 0 || n > bytes.length / 20) {
                throw new IOException(name + ": key count " + n + " does not fit the file");
            }
            for (int i = 0; i < n; i++) {
                int meta = b.getInt();
                if (meta < 16 || meta > b.remaining() + 4) {
                    throw new IOException(name + ": record " + i + " has a bad header length " + meta);
                }
                int type = b.getInt();
                int kvno = b.getInt();
                int subtype = b.getInt();
                b.position(b.position() + meta - 16);
                int len = b.getInt();
                if (len < 0 || len > b.remaining()) {
                    throw new IOException(name + ": record " + i + " has a bad key length " + len);
                }
                byte[] k = new byte[len];
                b.get(k);
                if (type == TYPE_RXKAD_KRB5) {
                    krb5.add(new Krb5Key(kvno, subtype, k));
                } else if (type == TYPE_RXKAD && len == 8) {
                    des.add(new DesKey(kvno, k));
                }
                // Type 1 (rxgk) keys are not ours to use.
            }
        } catch (BufferUnderflowException e) {
            throw new IOException(name + ": truncated KeyFileExt", e);
        }
    }

    /** MIT keytab version 0x502 (and 0x501): every entry as a Kerberos 5 key. */
    public static List<Krb5Key> readKeytab(byte[] bytes, String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        List<Krb5Key> out = new ArrayList<>();
        try {
            int version = b.getShort() & 0xffff;
            if (version != 0x502 && version != 0x501) {
                throw new IOException(name + ": not an MIT keytab (version 0x" + Integer.toHexString(version) + ")");
            }
            while (b.remaining() >= 4) {
                int size = b.getInt();
                if (size < 0) {
                    b.position(b.position() - size); // a hole left by a deleted entry
                    continue;
                }
                if (size == 0 || size > b.remaining()) {
                    break;
                }
                int end = b.position() + size;
                int comps = b.getShort() & 0xffff;
                if (version == 0x501) {
                    comps--;
                }
                skipCounted(b);
                for (int i = 0; i < comps; i++) {
                    skipCounted(b);
                }
                if (version == 0x502) {
                    b.getInt(); // name type
                }
                b.getInt(); // timestamp
                int kvno = b.get() & 0xff;
                int enctype = b.getShort() & 0xffff;
                int len = b.getShort() & 0xffff;
                byte[] k = new byte[len];
                b.get(k);
                if (end - b.position() >= 4) {
                    int kvno32 = b.getInt();
                    if (kvno32 != 0) {
                        kvno = kvno32;
                    }
                }
                b.position(end);
                out.add(new Krb5Key(kvno, enctype, k));
            }
            return out;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException(name + ": truncated keytab", e);
        }
    }

    private static void skipCounted(ByteBuffer b) {
        int len = b.getShort() & 0xffff;
        b.position(b.position() + len);
    }

    /** The KeyFile bytes of {@code keys}. */
    public static byte[] writeKeyFile(List<DesKey> keys) {
        ByteBuffer b = ByteBuffer.allocate(4 + 12 * keys.size());
        b.putInt(keys.size());
        for (DesKey k : keys) {
            b.putInt(k.kvno()).put(k.key());
        }
        return b.array();
    }

    /** The KeyFileExt bytes of {@code keys} (all of type rxkad_krb5). */
    public static byte[] writeKeyFileExt(List<Krb5Key> keys) {
        int size = 4;
        for (Krb5Key k : keys) {
            size += 20 + k.key().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(keys.size());
        for (Krb5Key k : keys) {
            b.putInt(16).putInt(TYPE_RXKAD_KRB5).putInt(k.kvno()).putInt(k.enctype());
            b.putInt(k.key().length).put(k.key());
        }
        return b.array();
    }

    /** The DES key of a kvno. */
    public Optional<DesKey> des(int kvno) {
        return des.stream().filter(k -> k.kvno() == kvno).findFirst();
    }

    /** The Kerberos 5 key of a kvno and enctype. */
    public Optional<Krb5Key> krb5(int kvno, int enctype) {
        return krb5.stream()
                .filter(k -> k.kvno() == kvno && k.enctype() == enctype)
                .findFirst();
    }

    /** The newest DES key. */
    public Optional<DesKey> newestDes() {
        return des.stream().max(Comparator.comparingInt(DesKey::kvno));
    }

    /** The key -localauth would seal with: newest kvno of the first enctype of 18, 17, 23, 16 present. */
    public Optional<Krb5Key> localAuthKrb5() {
        for (int e : LOCALAUTH_ENCTYPES) {
            Optional<Krb5Key> k =
                    krb5.stream().filter(x -> x.enctype() == e).max(Comparator.comparingInt(Krb5Key::kvno));
            if (k.isPresent()) {
                return k;
            }
        }
        return Optional.empty();
    }

    /** Whether there is no key at all. */
    public boolean isEmpty() {
        return des.isEmpty() && krb5.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ServerKeys[des kvno");
        des.forEach(k -> s.append(' ').append(k.kvno()));
        s.append("; krb5");
        krb5.forEach(k -> s.append(' ').append(k.kvno()).append('/').append(k.enctype()));
        return s.append(']').toString();
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
