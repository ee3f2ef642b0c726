package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
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
                        "set cmk.storage.connection-string (AzureWebJobsStorage) or cmk.storage.table-endpoint");
    }
}
