package dev.rxrpc.examples.ptserver.pr;

import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** The protection database rules on the embedded H2 database. */
class PrServiceH2Test extends PrServiceContract {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    DataSource freshDatabase() {
        return PrHarness.h2Memory("prtest" + DATABASES.incrementAndGet());
    }
}
