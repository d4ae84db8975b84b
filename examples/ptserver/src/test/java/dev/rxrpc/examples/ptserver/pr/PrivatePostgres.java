package dev.rxrpc.examples.ptserver.pr;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throwaway PostgreSQL server for tests: initdb in a fresh temporary directory, listening only on 127.0.0.1 at a
 * free port, no system cluster touched. As root it runs as the {@code postgres} OS user (runuser), since PostgreSQL
 * refuses to run as root. {@link #close()} stops it ("immediate") and deletes the directory.
 */
public final class PrivatePostgres implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private PrivatePostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The PostgreSQL binaries directory (/usr/lib/postgresql/N/bin with initdb and pg_ctl), if installed. */
    public static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(Path::toString));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static PrivatePostgres start() throws IOException, InterruptedException {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException("PostgreSQL binaries not installed"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory(
                "ptserver-pg-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        if (root) {
            run(List.of("chown", "postgres:postgres", dir.toString()), false);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PrivatePostgres pg = new PrivatePostgres(bin, dir, port, root);
        Path data = dir.resolve("data");
        pg.pg(List.of(
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8"));
        pg.pg(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                dir.resolve("log").toString(),
                "-w",
                "-t",
                "120",
                "-o",
                "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir + " -c fsync=off",
                "start"));
        return pg;
    }

    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName("postgres");
        ds.setUser("postgres");
        return ds;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private void pg(List<String> command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) {
            cmd.addAll(Arrays.asList("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        run(cmd, true);
    }

    private static void run(List<String> cmd, boolean check) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        if (check && p.exitValue() != 0) {
            throw new IOException(cmd + " failed (" + p.exitValue() + "): " + new String(out, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            pg(List.of(
                    bin.resolve("pg_ctl").toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-m",
                    "immediate",
                    "-w",
                    "stop"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
