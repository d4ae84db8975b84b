package dev.rxrpc.examples.ptserver.pr;

import dev.rxrpc.examples.ptserver.PtServerProperties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;
import org.springframework.transaction.interceptor.TransactionInterceptor;

/**
 * A {@link PrService} on a real database, migrated by the application's own Flyway scripts, with the same
 * transaction semantics as in the application (a transactional proxy), but without starting Spring Boot.
 */
public final class PrHarness {

    private PrHarness() {}

    public static PrService service(DataSource ds, boolean noauth) {
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        PrRepository repo = new PrRepository(JdbcClient.create(ds));
        PrService target = new PrService(repo, new PtServerProperties("./data", noauth, "rxrpc.test"));
        ProxyFactory pf = new ProxyFactory(target);
        pf.setProxyTargetClass(true);
        pf.addAdvice(new TransactionInterceptor(
                new DataSourceTransactionManager(ds), new AnnotationTransactionAttributeSource()));
        return (PrService) pf.getProxy();
    }

    public static DataSource h2Memory(String name) {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000");
        ds.setUser("sa");
        return ds;
    }
}
