package dev.rxrpc.spring.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The starter's layering: the programming model (annotations, XDR mapping, contract model) does not depend on Boot,
 * the actuator or Micrometer, so it can serve a non-Boot integration later; only the auto-configuration and the
 * actuator packages use optional Boot modules; nothing reaches into the engine's event-loop-confined internals
 * except through the public API.
 */
@AnalyzeClasses(packages = "dev.rxrpc.spring", importOptions = ImportOption.DoNotIncludeTests.class)
class StarterArchitectureTest {

    @ArchTest
    static final ArchRule modelIsFreeOfBoot = noClasses()
            .that()
            .resideInAnyPackage("dev.rxrpc.spring.annotation..", "dev.rxrpc.spring.xdr..", "dev.rxrpc.spring.model..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework.boot..", "io.micrometer..");

    @ArchTest
    static final ArchRule optionalModulesStayInTheirPackages = noClasses()
            .that()
            .resideOutsideOfPackages(
                    "dev.rxrpc.spring.actuate..", "dev.rxrpc.spring.autoconfigure..", "dev.rxrpc.spring.test..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework.boot.actuate..",
                    "org.springframework.boot.health..",
                    "org.springframework.boot.test..");

    /** spring-security-core is optional: only the bridge and its auto-configuration may touch it. */
    @ArchTest
    static final ArchRule springSecurityStaysInTheBridge = noClasses()
            .that()
            .resideOutsideOfPackages("dev.rxrpc.spring.security..", "dev.rxrpc.spring.autoconfigure..")
            .and()
            .resideInAPackage("dev.rxrpc.spring..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework.security..");

    @ArchTest
    static final ArchRule noEngineInternals = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.rxrpc.call..", "dev.rxrpc.conn..", "dev.rxrpc.peer..", "dev.rxrpc.loop..");
}
