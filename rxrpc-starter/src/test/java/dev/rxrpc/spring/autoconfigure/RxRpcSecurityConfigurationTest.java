package dev.rxrpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.RxServicePolicy;
import dev.rxrpc.security.rxkad.RxkadServer;
import dev.rxrpc.security.rxkad.ServerKeys;
import dev.rxrpc.spring.client.RxServiceProxyFactory;
import dev.rxrpc.spring.it.CalcService;
import dev.rxrpc.spring.it.CalcServiceImpl;
import dev.rxrpc.spring.secit.AdminService;
import dev.rxrpc.spring.security.RxAuthoritiesMapper;
import dev.rxrpc.spring.security.RxSecurityContextInterceptor;
import dev.rxrpc.spring.server.RxRpcServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.context.SecurityContextHolder;

/** rxrpc.security.* and client group credentials: what they configure, and the startup failures of bad values. */
class RxRpcSecurityConfigurationTest {

    @TempDir
    Path dir;

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RxRpcSecurityAutoConfiguration.class,
                    RxRpcSpringSecurityAutoConfiguration.class,
                    RxRpcServerAutoConfiguration.class,
                    RxRpcClientAutoConfiguration.class))
            .withPropertyValues("rxrpc.server.port=0", "rxrpc.server.address=127.0.0.1");

    @Configuration(proxyBeanMethods = false)
    @Import(CalcServiceImpl.class)
    static class CalcConfig {}

    static class AdminImpl implements AdminService {
        @Override
        public int ping(int x) {
            return x;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import({CalcServiceImpl.class, AdminImpl.class})
    static class SecuredConfig {}

    Path keyDir() throws Exception {
        Path d = Files.createDirectories(dir.resolve("keys"));
        Files.write(
                d.resolve("KeyFile"),
                ServerKeys.writeKeyFile(
                        List.of(new ServerKeys.DesKey(3, HexFormat.of().parseHex("25f1dfd049e004d0")))));
        return d;
    }

    static FailureAnalysis analyze(AssertableApplicationContext ctx) {
        return RxRpcAutoConfigurationTest.analyze(ctx, new RxRpcFailureAnalyzers.InvalidPropertyFailureAnalyzer());
    }

    @Test
    void withoutSecuritySettingsEveryServiceIsOpenAndOnlyRxnullIsServed() {
        runner.withUserConfiguration(CalcConfig.class).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            RxRpcServer server = ctx.getBean(RxRpcServer.class);
            assertThat(server.securityClasses()).isEmpty();
            assertThat(server.policies().get(CalcService.SERVICE_ID)).isEqualTo(RxServicePolicy.OPEN);
            assertThat(ctx.getBean(RxRpcKeyMaterial.class).keys()).isEmpty();
        });
    }

    @Test
    void keyDirEnablesRxkadAndGlobalAndPerServiceLevelsApply() throws Exception {
        Path keys = keyDir();
        runner.withUserConfiguration(SecuredConfig.class)
                .withPropertyValues(
                        "rxrpc.security.key-dir=" + keys,
                        "rxrpc.security.min-level=clear",
                        "rxrpc.security.services." + CalcService.SERVICE_ID + ".allow-anonymous=true",
                        "rxrpc.security.services.ADMIN.min-level=auth")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    RxRpcServer server = ctx.getBean(RxRpcServer.class);
                    assertThat(server.securityClasses()).singleElement().isInstanceOf(RxkadServer.class);
                    // Global clear, anonymous re-allowed by id.
                    assertThat(server.policies().get(CalcService.SERVICE_ID))
                            .isEqualTo(new RxServicePolicy(0, true, 0));
                    // @RxSecured(CRYPT) relaxed to auth by name; the annotation's allowAnonymous=false stays.
                    assertThat(server.policies().get(AdminService.SERVICE_ID))
                            .isEqualTo(new RxServicePolicy(1, false, 0));
                });
    }

    @Test
    void aMinimumLevelWithoutKeysFailsNamingKeyDir() {
        runner.withUserConfiguration(CalcConfig.class)
                .withPropertyValues("rxrpc.security.min-level=crypt")
                .run(ctx -> {
                    FailureAnalysis a = analyze(ctx);
                    assertThat(a.getAction())
                            .startsWith("Set rxrpc.security.key-dir to a directory with the cell's KeyFile")
                            .contains("CALC min-level crypt, anonymous not allowed");
                });
        // @RxSecured alone needs keys too.
        runner.withUserConfiguration(SecuredConfig.class)
                .run(ctx -> assertThat(analyze(ctx).getAction()).contains("ADMIN min-level crypt"));
    }

    @Test
    void badKeyMaterialFailsNamingTheProperty() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path noKeys = Files.createDirectories(dir.resolve("nokeys"));
        Files.write(noKeys.resolve("KeyFile"), ServerKeys.writeKeyFile(List.of()));
        Path garbage = Files.createDirectories(dir.resolve("garbage"));
        Files.write(garbage.resolve("KeyFile"), new byte[] {1, 2, 3});
        String[][] cases = {
            {"rxrpc.security.key-dir=" + dir.resolve("missing"), "rxrpc.security.key-dir", "a readable directory"},
            {"rxrpc.security.key-dir=" + empty, "rxrpc.security.key-dir", "no KeyFile or KeyFileExt"},
            {"rxrpc.security.key-dir=" + noKeys, "rxrpc.security.key-dir", "at least one key"},
            {"rxrpc.security.key-dir=" + garbage, "rxrpc.security.key-dir", "well-formed"},
            {"rxrpc.security.keytab=" + dir.resolve("no.keytab"), "rxrpc.security.keytab", "readable MIT keytab"},
        };
        for (String[] c : cases) {
            runner.withUserConfiguration(CalcConfig.class)
                    .withPropertyValues(c[0])
                    .run(ctx -> {
                        FailureAnalysis a = analyze(ctx);
                        assertThat(a.getAction())
                                .as(c[0])
                                .startsWith("Set " + c[1] + " to")
                                .contains(c[2]);
                    });
        }
    }

    @Test
    void unknownLevelNamesAndServicesFail() {
        runner.withUserConfiguration(CalcConfig.class)
                .withPropertyValues("rxrpc.security.min-level=secret")
                .run(ctx -> assertThat(analyze(ctx).getAction())
                        .isEqualTo("Set rxrpc.security.min-level to one of none, clear, auth or crypt."));
        runner.withUserConfiguration(CalcConfig.class)
                .withPropertyValues("rxrpc.security.services.CALC.min-level=high")
                .run(ctx -> assertThat(analyze(ctx).getAction())
                        .startsWith("Set rxrpc.security.services.CALC.min-level to one of"));
        runner.withUserConfiguration(CalcConfig.class)
                .withPropertyValues("rxrpc.security.services.NOPE.min-level=crypt")
                .run(ctx -> assertThat(analyze(ctx).getAction())
                        .startsWith("Set rxrpc.security.services.NOPE to the name or id of an @RxService")
                        .contains("CALC/" + CalcService.SERVICE_ID));
    }

    @Test
    void clientGroupCredentialsAreCheckedWhenTheClientIsMade() {
        runner.withPropertyValues(
                        "rxrpc.server.enabled=false",
                        "rxrpc.client.a.address=127.0.0.1:7000",
                        "rxrpc.client.a.security.level=crypt",
                        "rxrpc.client.a.security.local-auth=true",
                        "rxrpc.client.b.address=127.0.0.1:7000",
                        "rxrpc.client.b.security.level=auth",
                        "rxrpc.client.c.address=127.0.0.1:7000",
                        "rxrpc.client.c.security.level=loud")
                .run(ctx -> {
                    RxServiceProxyFactory f = ctx.getBean(RxServiceProxyFactory.class);
                    assertThatThrownBy(() -> f.createClient(CalcService.class, "a"))
                            .isInstanceOfSatisfying(
                                    InvalidRxRpcPropertyException.class,
                                    e -> assertThat(e.property()).isEqualTo("rxrpc.security.key-dir"));
                    assertThatThrownBy(() -> f.createClient(CalcService.class, "b"))
                            .isInstanceOfSatisfying(
                                    InvalidRxRpcPropertyException.class,
                                    e -> assertThat(e.requirement()).contains("RxTokenProvider"));
                    assertThatThrownBy(() -> f.createClient(CalcService.class, "c"))
                            .isInstanceOfSatisfying(
                                    InvalidRxRpcPropertyException.class,
                                    e -> assertThat(e.property()).isEqualTo("rxrpc.client.c.security.level"));
                });
    }

    @Test
    void theSpringSecurityBridgeNeedsSpringSecurityAndRestoresTheThreadsContext() throws Exception {
        runner.withUserConfiguration(CalcConfig.class)
                .run(ctx -> assertThat(ctx)
                        .hasSingleBean(RxSecurityContextInterceptor.class)
                        .hasSingleBean(RxAuthoritiesMapper.class));
        runner.withUserConfiguration(CalcConfig.class)
                .withClassLoader(new FilteredClassLoader("org.springframework.security"))
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(RxSecurityContextInterceptor.class));

        RxSecurityContextInterceptor i = new RxSecurityContextInterceptor(RxAuthoritiesMapper.levels());
        dev.rxrpc.spring.RxCallContext call = new dev.rxrpc.spring.RxCallContext(
                new java.net.InetSocketAddress("127.0.0.1", 7000),
                1,
                4,
                1,
                1,
                2,
                java.util.Optional.of(new dev.rxrpc.spring.RxIdentity("bob", "admin", "", 1)));
        Object name = i.invoke(
                call,
                () -> SecurityContextHolder.getContext().getAuthentication().getName());
        assertThat(name).isEqualTo("bob.admin");
        assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
        assertThatThrownBy(() -> i.invoke(call, () -> {
                    throw new IllegalStateException("boom");
                }))
                .hasMessage("boom");
        assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
    }
}
