package dev.rxrpc.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.rxrpc.internal.EventLoopConfined;

/**
 * The package rules of DEVELOPERS.md: dependencies point towards the wire, only {@code transport} touches Netty
 * channels and Reactor Netty, the engine never sees Reactor, Spring or Micrometer, and event-loop-confined classes
 * hold no synchronisation.
 */
@AnalyzeClasses(packages = "dev.rxrpc", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] ENGINE = {
        "dev.rxrpc.endpoint..",
        "dev.rxrpc.peer..",
        "dev.rxrpc.conn..",
        "dev.rxrpc.call..",
        "dev.rxrpc.recovery..",
        "dev.rxrpc.security..",
        "dev.rxrpc.loop..",
        "dev.rxrpc.metrics.."
    };

    @ArchTest
    static final ArchRule wireAndXdrDependOnBytesOnly = classes()
            .that()
            .resideInAnyPackage("dev.rxrpc.wire..", "dev.rxrpc.xdr..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(
                    "java..",
                    "io.netty.buffer..",
                    "io.netty.util..",
                    "dev.rxrpc.wire..",
                    "dev.rxrpc.xdr..",
                    "dev.rxrpc.internal..")
            .because("the codec is bytes only: no channels, no Reactor, no engine state");

    @ArchTest
    static final ArchRule wireDoesNotDependOnXdr = noClasses()
            .that()
            .resideInAPackage("dev.rxrpc.wire..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.rxrpc.xdr..")
            .because("packet framing and argument marshalling are separate layers, as in OpenAFS");

    @ArchTest
    static final ArchRule engineNeverTouchesChannelsOrReactor = noClasses()
            .that()
            .resideInAnyPackage(ENGINE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.netty.channel..",
                    "io.netty.handler..",
                    "reactor..",
                    "org.reactivestreams..",
                    "org.springframework..",
                    "io.micrometer..")
            .allowEmptyShould(true)
            .because("the engine is driven by the transport through plain calls and reports through a recorder");

    @ArchTest
    static final ArchRule engineDoesNotReachUpToTransportOrApi = noClasses()
            .that()
            .resideInAnyPackage(ENGINE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.rxrpc.transport..")
            .allowEmptyShould(true)
            .because("dependencies point towards the wire");

    @ArchTest
    static final ArchRule securityClassesSitBelowTheEngine = noClasses()
            .that()
            .resideInAPackage("dev.rxrpc.security..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.rxrpc.endpoint..",
                    "dev.rxrpc.conn..",
                    "dev.rxrpc.call..",
                    "dev.rxrpc.peer..",
                    "dev.rxrpc.api..",
                    "dev.rxrpc.transport..",
                    "io.netty.channel..",
                    "reactor..",
                    "org.springframework..")
            .because("a security class sees packets and keys only: the engine calls it, never the reverse");

    @ArchTest
    static final ArchRule onlyTheKrb5AdapterTouchesKerby = noClasses()
            .that()
            .doNotHaveFullyQualifiedName("dev.rxrpc.security.rxkad.Krb5Tickets")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.apache.kerby..")
            .because("Kerberos 5 ticket handling stays behind one small adapter that a pure-JDK one can replace");

    @ArchTest
    static final ArchRule onlyTransportTouchesNettyChannels = noClasses()
            .that()
            .resideOutsideOfPackage("dev.rxrpc.transport..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.netty.channel..", "reactor.netty..", "io.netty.handler..")
            .because("only the transport package binds sockets");

    @ArchTest
    static final ArchRule coreNeverSeesSpringOrMicrometer = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "io.micrometer..")
            .because("only the starter touches Spring and Micrometer");

    @ArchTest
    static final ArchRule confinedClassesHoldNoSynchronisedState = fields().that()
            .areDeclaredInClassesThat()
            .areAnnotatedWith(EventLoopConfined.class)
            .should()
            .notHaveModifier(JavaModifier.VOLATILE)
            .andShould()
            .notHaveRawType(resideIn("java.util.concurrent"))
            .allowEmptyShould(true)
            .because("event-loop-confined state is touched by one thread only");

    @ArchTest
    static final ArchRule confinedClassesUseNoLocks = noMethods()
            .that()
            .areDeclaredInClassesThat()
            .areAnnotatedWith(EventLoopConfined.class)
            .should()
            .haveModifier(JavaModifier.SYNCHRONIZED)
            .allowEmptyShould(true)
            .because("event-loop-confined code never blocks");

    private static DescribedPredicate<JavaClass> resideIn(String packagePrefix) {
        return DescribedPredicate.describe(
                "in " + packagePrefix, c -> c.getPackageName().startsWith(packagePrefix));
    }
}
