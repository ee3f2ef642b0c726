package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/**
 * Each setting with a rule, checked as the app starts: a bad one is named with what it must be, and the start
 * stops (bug bash of 2026-12-06: eighteen bad values each started the app, which then failed at the first use).
 */
class ConfigurationCheckUnitTest {

    @Test
    void theDefaultsAndTheRequiredSettingsPass() {
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of()))).isEmpty();
    }

    @Test
    void everyBadSettingIsNamedAtOnce() {
        Map<String, String> bad = Map.ofEntries(
                Map.entry("cmk.identity.credential", "bogus"),
                Map.entry("cmk.keyvault.timeout", "-PT1S"),
                Map.entry("cmk.storage.timeout", "PT0S"),
                Map.entry("cmk.audit.concurrency", "0"),
                Map.entry("cmk.keyvault.max-waiting-requests", "0"),
                Map.entry("cmk.outbox.page-size", "0"),
                Map.entry("cmk.keyvault.allowed-local-hosts", "127.0.0.1"),
                Map.entry("cmk.storage.max-retries", "-1"),
                Map.entry("cmk.callers.allowed-tenants", "not-a-tenant"),
                Map.entry("cmk.http.body-timeout", "-PT1S"),
                Map.entry("cmk.identity.arm.endpoint", "http://management.azure.com"),
                Map.entry("cmk.keyvault.request-deadline", "PT0S"),
                Map.entry("cmk.http.max-in-flight", "0"),
                Map.entry("cmk.microsoft-key.url", "not-a-url"));

        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(bad)))
                .hasSize(bad.size())
                .anySatisfy(p -> assertThat(p).startsWith("cmk.identity.credential must be"))
                .anySatisfy(p -> assertThat(p).isEqualTo("cmk.keyvault.timeout must be positive, not PT-1S"))
                .anySatisfy(p -> assertThat(p).isEqualTo("cmk.audit.concurrency must be 1 at least, not 0"))
                .anySatisfy(p -> assertThat(p).contains("'127.0.0.1'"))
                .anySatisfy(p -> assertThat(p).contains("'not-a-tenant'"))
                .anySatisfy(p -> assertThat(p).startsWith("cmk.identity.arm.endpoint must be an https URL"))
                .anySatisfy(p -> assertThat(p).startsWith("cmk.microsoft-key.url: "));
    }

    /**
     * A skew written with a sign refused every token issued in its last minutes (every caller), a lifetime of zero
     * every token (bug bash of 2026-12-06, time F1); a skew past an hour would let stolen tokens live on.
     */
    @Test
    void theTokenTimesAndThePairWaitHaveTheirRules() {
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of(
                        "cmk.callers.clock-skew", "-PT5M",
                        "cmk.callers.max-lifetime", "PT0S",
                        "cmk.audit.pair-wait", "-PT30S"))))
                .containsExactlyInAnyOrder(
                        "cmk.callers.clock-skew must be from PT0S to PT1H, not PT-5M",
                        "cmk.callers.max-lifetime must be positive, not PT0S",
                        "cmk.audit.pair-wait must not be negative, not PT-30S");
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of("cmk.callers.clock-skew", "PT2H"))))
                .containsExactly("cmk.callers.clock-skew must be from PT0S to PT1H, not PT2H");
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of("cmk.callers.clock-skew", "PT0S"))))
                .isEmpty();
    }

    /**
     * Bug bash bb87 F2: the service's own key on a host the allow-list does not admit started the app, and then
     * every order creation, revert, listCredentials and validate of a Microsoft-managed order answered the
     * customer 400 SsemUserErrorKeyVaultUrlInvalidHost ("use a key in an Azure Key Vault...") instead of
     * the start stopping with the setting named.
     */
    @Test
    void theMicrosoftKeyMustBeOnAnAllowedVaultHost() {
        assertThat(ConfigurationCheck.problems(
                        TestCmkConfigs.with(Map.of("cmk.keyvault.allowed-host-suffixes", "vault.usgovcloudapi.net"))))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("cmk.microsoft-key.url"));
    }

    /**
     * Bug bash bb87 F4: CONFIGURATION.md gives the events queue's prefix "at most 30 characters" (a tenant's queue,
     * {prefix}-{32 hex}, is at most 63), among the rules checked as the app starts; a longer one started the app,
     * and every event's relay then failed with Storage's 400 OutOfRangeInput, kept in the outbox for ever.
     */
    @Test
    void theEventsQueuePrefixLeavesRoomForTheTenant() {
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(
                        Map.of("cmk.storage.events-queue", "cmk-events-for-the-logic-apps-of-customers"))))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("cmk.storage.events-queue"));
    }

    @Test
    void anAuditShardIsOnePageOfTableStorageAndTheRetentionADayAtLeast() {
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of("cmk.audit.shard-size", "5000"))))
                .containsExactly("cmk.audit.shard-size must be from 1 to 1000, not 5000");
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of("cmk.audit.retention", "PT1H"))))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("cmk.audit.retention must be a day at least"));
    }

    @Test
    void storageMustBeNamed() {
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of("cmk.storage.connection-string", " "))))
                .containsExactly(
                        "set cmk.storage.connection-string (AzureWebJobsStorage), or cmk.storage.table-endpoint"
                                + " and cmk.storage.queue-endpoint");
    }

    /** bb95 M2: a scheme-less base URL (WEBSITE_HOSTNAME's shape) made every Location relative, then built from Host. */
    @Test
    void thePublicBaseUrlMustBeAnAbsoluteHttpUrl() {
        for (String bad : new String[] {"my-app.azurewebsites.net", "ftp://x", "https://gw.example.com/base?x=1"}) {
            assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of("cmk.public-base-url", bad))))
                    .as(bad)
                    .singleElement()
                    .satisfies(p -> assertThat(p).startsWith("cmk.public-base-url"));
        }
    }

    /** bb95 M3: client-assertion without its federation settings started, and every Key Vault call answered 503. */
    @Test
    void clientAssertionNeedsItsFederationSettings() {
        assertThat(ConfigurationCheck.problems(
                        TestCmkConfigs.with(Map.of("cmk.identity.credential", "client-assertion"))))
                .anySatisfy(p -> assertThat(p).contains("cmk.identity.federation.token-file"))
                .anySatisfy(p -> assertThat(p).contains("cmk.identity.federation.tenant-id"))
                .anySatisfy(p -> assertThat(p).contains("cmk.identity.federation.client-id"));
    }

    /**
     * bug bash ob1 F10: a connection string whose endpoint is no URL, or whose account key is no Base64, started the
     * app, which then failed every storage call with a stack trace. Refused at start, naming the setting and the
     * part, never the key.
     */
    @Test
    void aStorageConnectionStringOfTheWrongShapeIsRefusedWithoutItsKey() {
        String key = "not base64 !! secret-account-key";
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of(
                        "cmk.storage.connection-string",
                        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + key
                                + ";TableEndpoint=http//127.0.0.1:10002/devstoreaccount1;"
                                + "QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1"))))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("cmk.storage.connection-string (AzureWebJobsStorage): its AccountKey must be"))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("cmk.storage.connection-string (AzureWebJobsStorage): its TableEndpoint must be"))
                .noneSatisfy(p -> assertThat(p).contains("QueueEndpoint"))
                .allSatisfy(p -> assertThat(p).doesNotContain("secret-account-key"));
    }

    @Test
    void wellFormedStorageConnectionStringsPass() {
        for (String good : List.of(
                "UseDevelopmentStorage=true",
                "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + "QUJDRA=="
                        + ";EndpointSuffix=core.windows.net",
                "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
                        + "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                        + "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;")) {
            assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of("cmk.storage.connection-string", good))))
                    .as(good)
                    .noneSatisfy(p -> assertThat(p).startsWith("cmk.storage.connection-string"));
        }
    }

    /** bb95 M4, M1: Table and Queue Storage names are checked where the events queue's already is. */
    @Test
    void tableAndShardQueueNamesFollowStoragesRules() {
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of(
                        "cmk.storage.orders-table", "bad-name",
                        "cmk.storage.audits-table", "a_b",
                        "cmk.storage.identities-table", "1x",
                        "cmk.storage.audit-shards-queue", "Bad_Queue"))))
                .hasSize(4)
                .anySatisfy(p -> assertThat(p).startsWith("cmk.storage.orders-table must be"))
                .anySatisfy(p -> assertThat(p).startsWith("cmk.storage.audits-table must be"))
                .anySatisfy(p -> assertThat(p).startsWith("cmk.storage.identities-table must be"))
                .anySatisfy(p -> assertThat(p).startsWith("cmk.storage.audit-shards-queue must be 3 to 56"));
    }

    /** bb95 L1: the outbox sweep's page is a Table Storage page too (at most 1,000: $top above is refused). */
    @Test
    void theOutboxPageIsOneTableStoragePage() {
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of("cmk.outbox.page-size", "5000"))))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("cmk.outbox.page-size"));
    }

    /** The bound itself: 1,000 is one page, 1,001 is a $top Table Storage refuses at every sweep. */
    @Test
    void theOutboxPageBoundIsExactlyOneThousand() {
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of("cmk.outbox.page-size", "1000"))))
                .isEmpty();
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of("cmk.outbox.page-size", "1001"))))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("cmk.outbox.page-size"));
    }

    /** bb95 M7: an issuer template without {tenantid} refused every caller with 401 and nothing in the log. */
    @Test
    void theCallerTemplatesNameTheTenant() {
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of(
                        "cmk.callers.issuer-template", "https://login.microsoftonline.com/common/v2.0",
                        "cmk.callers.jwks-template", "notaurl"))))
                .satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).startsWith("cmk.callers.issuer-template must name the token's tenant"),
                        p -> assertThat(p).startsWith("cmk.callers.jwks-template must be an absolute https URL"));
    }

    /** Review rv4: the callers' signing keys over plain HTTP could be replaced on the way; the local stack's aside. */
    @Test
    void theCallersKeysComeOverHttpsOrFromThisMachine() {
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(
                        Map.of("cmk.callers.jwks-template", "http://login.example.net/{tenantid}/keys"))))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("cmk.callers.jwks-template must be an absolute https URL"));
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of(
                        "cmk.callers.jwks-template", "http://127.0.0.1:8180/entra/{tenantid}/keys",
                        "cmk.callers.issuer-template", "http://127.0.0.1:8180/entra/{tenantid}/v2.0"))))
                .isEmpty();
    }

    /** bb95 L2: a trusted certificate that is not there started the app; every call then answered 503 "for a moment". */
    @Test
    void aTrustedCertificateMustBeReadable() {
        assertThat(ConfigurationCheck.problems(
                        TestCmkConfigs.with(Map.of("cmk.keyvault.trusted-certificate", "/nonexistent.pem"))))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("cmk.keyvault.trusted-certificate"));
    }

    /** bb95 L3: the Entra authority gets the identity's token as a client assertion: https, as the ARM endpoint. */
    @Test
    void theEntraAuthoritiesAreHttps() {
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(
                        Map.of("cmk.identity.cross-tenant.authority-host", "http://evil.example.com"))))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("cmk.identity.cross-tenant.authority-host"));
    }

    /**
     * bb95 M5: CONFIGURATION.md line 9 lists "an https endpoint" among the rules checked at start, and line 19 the
     * table and the queue endpoints together; an http table endpoint started the app (every storage call then a 500,
     * "token credentials require a URL using the HTTPS protocol scheme"), and no queue endpoint is asked for until
     * the first queue call.
     */
    @Test
    void storageEndpointsAreHttpsAndComeTogether() {
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of(
                        "cmk.storage.connection-string", " ",
                        "cmk.storage.table-endpoint", "http://account.table.core.windows.net",
                        "cmk.storage.queue-endpoint", "https://account.queue.core.windows.net"))))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("cmk.storage.table-endpoint"));
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of(
                        "cmk.storage.connection-string", " ",
                        "cmk.storage.table-endpoint", "https://account.table.core.windows.net"))))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("cmk.storage.queue-endpoint"));
    }

    /** bb95 H1: without an audience smallrye-jwt checks none, and a token issued for any resource was taken. */
    @Test
    void theCallersAudienceIsRequired() {
        assertThat(ConfigurationCheck.problems(mpConfig(Map.of())))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("ENTRA_AUDIENCE (mp.jwt.verify.audiences) must be set"));
        assertThat(ConfigurationCheck.problems(mpConfig(Map.of("mp.jwt.verify.audiences", "${ENTRA_AUDIENCE}"))))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("ENTRA_AUDIENCE"));
        assertThat(ConfigurationCheck.problems(mpConfig(Map.of("mp.jwt.verify.audiences", " "))))
                .hasSize(1);
        assertThat(ConfigurationCheck.problems(mpConfig(Map.of("mp.jwt.verify.audiences", "api://databox-cmk"))))
                .isEmpty();
    }

    @Test
    void theJobsTableFollowsTableStoragesRule() {
        assertThat(ConfigurationCheck.problems(
                        mpConfig(Map.of("mp.jwt.verify.audiences", "api://x", "cmk.jobs.table", "arm-jobs"))))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("cmk.jobs.table must be"));
    }

    private static Config mpConfig(Map<String, String> settings) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withDefaultValues(settings)
                .build();
    }

    /** Bug bash bb95 L4: the audit settings stopped at their first bad one, hiding the others. */
    @Test
    void everyBadAuditSettingIsNamed() {
        assertThat(ConfigurationCheck.problems(
                        TestCmkConfigs.with(Map.of("cmk.audit.shard-size", "0", "cmk.audit.concurrency", "0"))))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("cmk.audit.shard-size").contains("cmk.audit.concurrency"));
    }

    /**
     * Bug bash bb95 L5: any text was taken as the subscription and the function app's resource ID; the app started,
     * and every order with a system-assigned identity then answered {@code 500}.
     */
    @Test
    void theResourceManagerIdsHaveTheirShapes() {
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of(
                        "cmk.identity.arm.subscription-id", "not-a-guid",
                        "cmk.identity.arm.resource-group", "rg/../other",
                        "cmk.identity.arm.function-app-resource-id", "nonsense"))))
                .containsExactlyInAnyOrder(
                        "cmk.identity.arm.subscription-id: must be a subscription ID (a GUID), not 'not-a-guid'",
                        "cmk.identity.arm.resource-group: must be a resource group's name (up to 90 ASCII letters,"
                                + " digits, '-', '_', '.', '(' or ')'), not 'rg/../other'",
                        "cmk.identity.arm.function-app-resource-id: must be a function app's resource ID,"
                                + " /subscriptions/{subscription ID}/resourceGroups/{group}/providers/Microsoft.Web/sites/"
                                + "{name}, not 'nonsense'");
    }

    /**
     * Review rv5 M4: a suffix under no cloud's Key Vault hosts started the app and admitted nothing, as an order's key
     * must also be a Key Vault host of its cloud; a narrower one (a private-link zone) is taken.
     */
    @Test
    void aVaultSuffixMustBeUnderACloudsKeyVaultHosts() {
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(
                        Map.of("cmk.keyvault.allowed-host-suffixes", "vault.azure.net,managedhsm.azure.net"))))
                .singleElement()
                .satisfies(
                        p -> assertThat(p)
                                .startsWith(
                                        "cmk.keyvault.allowed-host-suffixes: 'managedhsm.azure.net' is under no Azure"
                                                + " cloud's Key Vault hosts (vault.azure.net, vault.usgovcloudapi.net, vault.azure.cn)"));
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(
                        Map.of("cmk.keyvault.allowed-host-suffixes", ".vault.azure.net,privatelink.vault.azure.net"))))
                .isEmpty();
    }

    /**
     * Bug bash sx1 B4: an entry of cmk.keyvault.allowed-local-hosts naming any host started the app, in any profile,
     * and KeyVaultClients turns the SDK's challenge verification off for a host it admits: customers' Key Vault tokens
     * would go to that host. Only loopback hosts are the local emulator's.
     */
    @Test
    void aLocalVaultHostMustBeALoopbackHost() {
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(
                        Map.of("cmk.keyvault.allowed-local-hosts", "127.0.0.1:20000-29999,vault.example.com:443"))))
                .containsExactly("cmk.keyvault.allowed-local-hosts entry host 'vault.example.com' must be a loopback"
                        + " address (127.x.x.x): the local emulator's vaults, whose challenge is not verified");
        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(
                        Map.of("cmk.keyvault.allowed-local-hosts", "127.0.0.1:20000-29999,127.0.0.2:4443"))))
                .isEmpty();
    }
}
