package dev.rxrpc.examples.ptserver.pr;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The protection database rules on PostgreSQL: a private server started for this class (see {@link
 * PrivatePostgres}), one new database per test. Skipped, saying why, only when the PostgreSQL binaries are absent
 * (scripts/test.sh installs them).
 */
class PrServicePostgresTest extends PrServiceContract {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PrivatePostgres pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        assumeTrue(
                PrivatePostgres.binaries().isPresent(),
                "PostgreSQL binaries (/usr/lib/postgresql/*/bin) not installed: add postgresql to scripts/test.sh");
        pg = PrivatePostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Override
    DataSource freshDatabase() throws Exception {
        String name = "prtest" + DATABASES.incrementAndGet();
        try (Connection c = pg.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        PGSimpleDataSource ds = (PGSimpleDataSource) pg.dataSource();
        ds.setDatabaseName(name);
        return ds;
    }
}
