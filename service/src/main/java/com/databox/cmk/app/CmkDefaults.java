package com.databox.cmk.app;

import com.databox.cmk.audit.AuditSettings;
import com.databox.cmk.order.SystemAssignedLimit;
import com.databox.cmk.outbox.OutboxSettings;
import com.databox.cmk.sdkhttp.WaitingRequests;
import java.time.Duration;
import java.util.List;

/**
 * The defaults of the {@code cmk.*} settings that code building the services without configuration (tests, the
 * benchmark) needs too: {@link CmkConfig} names them in its {@code @WithDefault}s and that code reads them here. A
 * default nothing else needs (the storage timeout, the table and queue names but the orders') is written in
 * {@link CmkConfig} alone; CONFIGURATION.md lists them all, and {@code ConfigurationDocUnitTest} holds it to both.
 */
public final class CmkDefaults {
    public static final String USER_ASSIGNED_LIMIT = "20";
    public static final String SYSTEM_ASSIGNED_LIMIT = "1000";
    /** The identity sweep's retention of a finished order's identities. */
    public static final String FINISHED_ORDER_RETENTION = "P30D";

    public static final String VAULT_HOST_SUFFIXES = "vault.azure.net,vault.usgovcloudapi.net,vault.azure.cn";
    public static final String MAX_RETRIES = "3";
    public static final String RETRY_DELAY = "PT0.8S";
    public static final String TIMEOUT = "PT10S";
    public static final String MAX_RETRY_AFTER = "PT5S";
    public static final String KEYVAULT_REQUEST_DEADLINE = "PT30S";
    public static final String BODY_TIMEOUT = "PT10S";
    public static final String MAX_IN_FLIGHT = "128";
    public static final String MAX_WAITING_REQUESTS = "" + WaitingRequests.DEFAULT_LIMIT;
    public static final String ORDERS_TABLE = "orders";
    /**
     * 60% of a Table Storage page: a shard's page is parsed while the page before it is still audited, and two
     * pages of 1,000 orders in flight overflowed the young generation's survivor spaces (jvm.options) and grew the
     * audit's RSS; with 750 the peak RSS of a 100k audit was 1.08-1.11x a 1k audit's, with 600 1.06-1.07x. Not 500,
     * because each page is a scan of the whole table on Azurite: a 100k audit in pages of 500 took almost twice as
     * long there (docs/ARCHITECTURE.md, "Bounded memory").
     */
    public static final String AUDIT_SHARD_SIZE = "600";

    public static final String AUDIT_CONCURRENCY = "16";

    /**
     * As {@link com.databox.cmk.audit.AuditSettings#DEFAULT_SHARDS_AT_ONCE}: each shard holds a page of orders in
     * memory, and the heap (jvm.options) is sized for this many. host.json lets the Functions host hand over no
     * more ({@code batchSize} plus {@code newBatchThreshold}; the host's own default is 16 plus 8).
     */
    public static final String AUDIT_SHARDS_AT_ONCE = "" + AuditSettings.DEFAULT_SHARDS_AT_ONCE;

    public static final String AUDIT_PAIR_WAIT = "PT30S";
    /**
     * Above the longest a shard's deliveries take together: the Functions host gives a message 5 deliveries,
     * and one whose instance died comes back after its 10-minute visibility timeout.
     */
    public static final String AUDIT_STALLED_AFTER = "PT1H";

    /** As {@link com.databox.cmk.audit.AuditSettings#DEFAULT_RETENTION}. */
    public static final String AUDIT_RETENTION = "P30D";

    public static final String OUTBOX_PAGE_SIZE = "100";
    public static final String OUTBOX_MAX_PER_SWEEP = "1000";

    private CmkDefaults() {}

    public static int userAssignedLimit() {
        return Integer.parseInt(USER_ASSIGNED_LIMIT);
    }

    public static SystemAssignedLimit systemAssignedLimit() {
        return new SystemAssignedLimit(
                Integer.parseInt(SYSTEM_ASSIGNED_LIMIT), Duration.parse(FINISHED_ORDER_RETENTION));
    }

    public static List<String> vaultHostSuffixes() {
        return List.of(VAULT_HOST_SUFFIXES.split(","));
    }

    public static int maxWaitingRequests() {
        return WaitingRequests.DEFAULT_LIMIT;
    }

    public static int maxRetries() {
        return Integer.parseInt(MAX_RETRIES);
    }

    public static Duration maxRetryAfter() {
        return Duration.parse(MAX_RETRY_AFTER);
    }

    public static Duration keyVaultRequestDeadline() {
        return Duration.parse(KEYVAULT_REQUEST_DEADLINE);
    }

    public static AuditSettings audit() {
        return new AuditSettings(
                Integer.parseInt(AUDIT_SHARD_SIZE),
                Integer.parseInt(AUDIT_CONCURRENCY),
                Integer.parseInt(AUDIT_SHARDS_AT_ONCE),
                Duration.parse(AUDIT_PAIR_WAIT),
                Duration.parse(AUDIT_STALLED_AFTER),
                Duration.parse(AUDIT_RETENTION));
    }

    public static OutboxSettings outbox() {
        return new OutboxSettings(Integer.parseInt(OUTBOX_PAGE_SIZE), Integer.parseInt(OUTBOX_MAX_PER_SWEEP));
    }
}
