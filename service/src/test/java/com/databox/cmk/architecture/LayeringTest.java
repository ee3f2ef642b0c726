package com.databox.cmk.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The domain knows nothing of HTTP, Quarkus or the Azure SDK (ARCHITECTURE.md, STYLE.md). */
class LayeringTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // The emulator's jars share the com.databox.cmk prefix but are not the service.
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            // Under Quarkus's test class loader the emulator's test-jar (resolved from ~/.m2, where other
            // builds install theirs) does not look like a jar: leave its package out by name.
            .withImportOption(location -> !location.contains("/com/databox/cmk/emulator/"))
            .importPackages("com.databox.cmk");

    @Test
    void domainPackagesUseNoFrameworkOrSdk() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "com.databox.cmk.order..",
                        "com.databox.cmk.encryption..",
                        "com.databox.cmk.audit..",
                        "com.databox.cmk.sweep..",
                        "com.databox.cmk.unlockkey..",
                        "com.databox.cmk.error..",
                        "com.databox.cmk.outbox..",
                        "com.databox.cmk.jobs")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "jakarta.ws.rs..",
                        "io.quarkus..",
                        "io.vertx..",
                        "com.azure..",
                        "com.microsoft..",
                        "org.jboss.resteasy..")
                .check(MAIN);
    }

    @Test
    void onlyTheAdaptersTheirHttpClientsAndWiringTouchTheAzureSdk() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "com.databox.cmk.keyvault..",
                        "com.databox.cmk.identity..",
                        "com.databox.cmk.storage..",
                        "com.databox.cmk.sdkhttp..",
                        "com.databox.cmk.app..",
                        "com.databox.cmk.jobs.storage..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.azure..")
                .check(MAIN);
    }

    /**
     * The SDKs' implementation packages are no API: they change in any release. The one call the service makes into
     * one (emptying the Key Vault SDK's challenge cache, which offers no public way) stays in one small class.
     */
    @Test
    void onlyVaultChallengesReachesIntoAnSdksImplementation() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName("com.databox.cmk.keyvault.VaultChallenges")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.azure..implementation..", "com.microsoft..implementation..")
                .check(MAIN);
    }

    @Test
    void httpStaysInTheApiAndTriggerPackages() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "com.databox.cmk.api..", "com.databox.cmk.trigger..", "com.databox.cmk.jobs.api..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("jakarta.ws.rs..", "org.jboss.resteasy..")
                .check(MAIN);
    }

    /**
     * Every route is blocking, so that a caller's token is verified on a worker thread
     * ({@code quarkus.http.auth.proactive=false}: at the route's security check): the first token of a
     * tenant fetches its signing keys with a blocking call (api/SigningKeys), which must never hold an
     * event loop. A reactive route (Mutiny types, {@code CompletionStage}, {@code @NonBlocking}) would verify on the event
     * loop.
     */
    @Test
    void routesAreBlockingSoTokenVerificationNeverHoldsAnEventLoop() {
        noClasses()
                .that()
                .resideInAnyPackage("com.databox.cmk.api..", "com.databox.cmk.jobs.api..", "com.databox.cmk.trigger..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.smallrye.mutiny..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.smallrye.common.annotation.NonBlocking")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.util.concurrent.CompletionStage")
                .check(MAIN);
    }

    /**
     * KeyUrl (review rv8) and UserAssignedIdentityId moved to unlockkey so that the wrapping could take them without
     * a cycle: nothing holds it.
     */
    @Test
    void unlockKeyDependsOnNeitherOrdersNorEncryption() {
        noClasses()
                .that()
                .resideInAPackage("com.databox.cmk.unlockkey..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "com.databox.cmk.order..", "com.databox.cmk.encryption..", "com.databox.cmk.audit..")
                .check(MAIN);
    }
}
