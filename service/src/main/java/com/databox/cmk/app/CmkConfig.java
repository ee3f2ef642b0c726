package com.databox.cmk.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The service's settings (app settings in Azure, application.properties locally). */
@ConfigMapping(prefix = "cmk")
public interface CmkConfig {
    MicrosoftKey microsoftKey();

    Identity identity();

    KeyVault keyvault();

    Storage storage();

    Audit audit();

    IdentitySweep identitySweep();

    Outbox outbox();

    /**
     * The function app's public address (app setting {@code CMK_PUBLIC_BASE_URL}, e.g.
     * {@code https://my-app.azurewebsites.net}): every absolute URL the service answers with
     * ({@code Location}, {@code nextLink}) starts with it, never with the request's {@code Host}. Unset: the
     * request's base where the platform names it (api/RequestPublicBase: on Lambda, API Gateway's domain), else
     * {@code https://} and {@link #platformHostName()}, else the local run's {@code http://127.0.0.1:7071}.
     */
    Optional<URI> publicBaseUrl();

    /**
     * The function app's default host name as the Functions platform gives it ({@code WEBSITE_HOSTNAME},
     * {@code my-app.azurewebsites.net}), where no {@link #publicBaseUrl()} is set.
     */
    Optional<String> platformHostName();

    /**
     * Where clients of the Microsoft.DataBox/jobs surface reach it (app setting
     * {@code CMK_ARM_PUBLIC_BASE_URL}): the start of its {@code Azure-AsyncOperation}, {@code Location}
     * and {@code nextLink} URLs. Absent: {@link #publicBaseUrl()}. {@code listener}: the address this
     * process listens on (tests on a random port), never the request's {@code Host}.
     */
    Optional<String> armPublicBaseUrl();

    Callers callers();

    /** Which callers' tokens are accepted (issue 12); signature, audience and expiry as mp.jwt.* says. */
    interface Callers {
        /**
         * The tenants whose callers are served: their tenant IDs, or {@code *} for every tenant where
         * the service's (multi-tenant) application is consented, as Entra ID then issues tokens for it.
         */
        List<String> allowedTenants();

        /** The issuer of a tenant's tokens, {@code {tenantid}} standing for the tenant's ID. */
        @WithDefault("https://login.microsoftonline.com/{tenantid}/v2.0")
        String issuerTemplate();

        /** The signing keys of a tenant's tokens, {@code {tenantid}} standing for the tenant's ID. */
        @WithDefault("https://login.microsoftonline.com/{tenantid}/discovery/v2.0/keys")
        String jwksTemplate();

        /** The longest token lifetime accepted ({@code exp - iat}): Entra ID issues at most 28 hours (CAE). */
        @WithDefault("PT28H")
        Duration maxLifetime();

        /** Clock skew allowed for {@code iat}, {@code nbf} and {@code exp}. */
        @WithDefault("PT5M")
        Duration clockSkew();
    }

    Http http();

    interface MicrosoftKey {
        /** The service's own RSA key in its own vault, used with the function app's identity. */
        String url();
    }

    interface Identity {
        @WithDefault(CmkDefaults.USER_ASSIGNED_LIMIT)
        int userAssignedLimit();

        /** How many system-assigned identities (the service makes each) one tenant's orders may hold at once. */
        @WithDefault(CmkDefaults.SYSTEM_ASSIGNED_LIMIT)
        int systemAssignedLimit();

        Arm arm();

        /**
         * How the service gets its tokens for Key Vault, Storage and ARM: {@code managed-identity}
         * (Azure, the platform's identity endpoint) or {@code client-assertion} (workload identity
         * federation outside Azure, e.g. on AWS Lambda: {@link #federation()}).
         */
        @WithDefault("managed-identity")
        String credential();

        Federation federation();

        CrossTenant crossTenant();
    }

    /**
     * Keys in another tenant (issue 12, item 8): Entra ID's authority host where a managed identity's
     * token is exchanged for a multi-tenant application's token in the key vault's tenant.
     */
    interface CrossTenant {
        @WithDefault("https://login.microsoftonline.com")
        String authorityHost();

        /** PEM certificate trusted for the authority host instead of the JVM's: only the local emulator's. */
        Optional<Path> trustedCertificate();
    }

    /**
     * Workload identity federation: a token issued outside Azure (read from a file for every
     * exchange, as the platform refreshes it) is the client assertion with which Entra ID issues
     * tokens to the app registration (or an order's identity) that trusts its issuer and subject.
     */
    interface Federation {
        Optional<String> tenantId();

        /** The app registration's client (application) ID: the service's own identity. */
        Optional<String> clientId();

        /** The file holding the external token (e.g. AWS's web identity token). */
        Optional<Path> tokenFile();

        @WithDefault("https://login.microsoftonline.com")
        String authorityHost();

        /**
         * PEM certificate trusted for the authority host instead of the JVM's: only the local
         * emulator's, which is no known Entra host (so its instance discovery is skipped too).
         */
        Optional<Path> trustedCertificate();
    }

    /**
     * Where orders' managed identities are created. Locally the emulator's ARM API, so that the
     * production adapter is the one the tests and the local run use.
     */
    interface Arm extends OutboundCalls {
        /** The only Azure Resource Manager host the service calls. */
        @WithDefault("https://management.azure.com")
        URI endpoint();

        String subscriptionId();

        String resourceGroup();

        String location();

        /** The function app itself, to which every order identity is assigned. */
        String functionAppResourceId();
    }

    interface KeyVault extends OutboundCalls {
        @WithDefault(CmkDefaults.VAULT_HOST_SUFFIXES)
        List<String> allowedHostSuffixes();

        /** Exact hosts allowed besides the suffixes: only the local profile sets the emulator's. */
        Optional<List<String>> allowedLocalHosts();

        /** The longest a vault's Retry-After makes a retry wait (a vault once asked for 100 s). */
        @WithDefault(CmkDefaults.MAX_RETRY_AFTER)
        Duration maxRetryAfter();

        /**
         * How long all the Key Vault calls of one request may take together, retries included; past
         * it the request answers 503 KeyVaultUnavailable and changes nothing.
         */
        @WithDefault(CmkDefaults.KEYVAULT_REQUEST_DEADLINE)
        Duration requestDeadline();
    }

    /** How the service calls out to Key Vault and to Azure Resource Manager. */
    interface OutboundCalls {
        /** PEM certificate trusted instead of the JVM's defaults: only the local emulator's. */
        Optional<Path> trustedCertificate();

        /** Retries of throttled or failed calls; the SDK honours Retry-After. */
        @WithDefault(CmkDefaults.MAX_RETRIES)
        int maxRetries();

        @WithDefault(CmkDefaults.RETRY_DELAY)
        Duration retryDelay();

        @WithDefault(CmkDefaults.TIMEOUT)
        Duration timeout();

        /**
         * Requests that may wait on this dependency at once on an instance; one more is refused at once (503),
         * so that a dependency that stops answering cannot take every worker thread from the other routes.
         */
        @WithDefault(CmkDefaults.MAX_WAITING_REQUESTS)
        int maxWaitingRequests();
    }

    interface Storage {
        /** A storage connection string (AzureWebJobsStorage style); or use {@link #tableEndpoint()}. */
        Optional<String> connectionString();

        /** The table endpoint, reached with the function app's managed identity. */
        Optional<String> tableEndpoint();

        /** The queue endpoint, reached with the function app's managed identity (with {@link #tableEndpoint()}). */
        Optional<String> queueEndpoint();

        @WithDefault(CmkDefaults.ORDERS_TABLE)
        String ordersTable();

        @WithDefault("audits")
        String auditsTable();

        /** The identities the service assigned to the function app for orders (the identity sweep's). */
        @WithDefault("identities")
        String identitiesTable();

        /** The longest wait for one answer of Table or Queue Storage (connect, response, read). */
        @WithDefault("PT5S")
        Duration timeout();

        /** Retries of a storage call that failed or timed out, after which it answers StorageUnavailable. */
        @WithDefault("2")
        int maxRetries();

        /**
         * CloudEvents for Logic Apps (API.md, "Audit report and events"): the prefix of each tenant's
         * queue, {@code {prefix}-{tenant ID without hyphens}} (at most 30 characters, so that the name
         * fits Storage's 63).
         */
        @WithDefault("cmk-events")
        String eventsQueue();

        /** The audit's shards, read by the {@code audit-shard} function. */
        @WithDefault("cmk-audit-shards")
        String auditShardsQueue();
    }

    /** Limits at the HTTP edge, so that slow or numerous clients cannot hold the others up (issue #15). */
    interface Http {
        /** How long a request may take to send its whole body once its headers arrived; then 408. */
        @WithDefault(CmkDefaults.BODY_TIMEOUT)
        Duration bodyTimeout();

        /** Requests in flight (received, not yet answered) at which readiness reports DOWN. */
        @WithDefault(CmkDefaults.MAX_IN_FLIGHT)
        int maxInFlight();
    }

    interface Audit {
        @WithDefault(CmkDefaults.AUDIT_SHARD_SIZE)
        int shardSize();

        @WithDefault(CmkDefaults.AUDIT_CONCURRENCY)
        int concurrency();

        @WithDefault(CmkDefaults.AUDIT_PAIR_WAIT)
        Duration pairWait();

        /** Shards one instance audits at once, whoever hands them over (the host, the local dispatcher, Lambda). */
        @WithDefault(CmkDefaults.AUDIT_SHARDS_AT_ONCE)
        int shardsAtOnce();

        /** How long a run may go without moving on before its report says it failed. */
        @WithDefault(CmkDefaults.AUDIT_STALLED_AFTER)
        Duration stalledAfter();

        /** How long a run is kept after its start; the timer's start deletes the older ones. */
        @WithDefault(CmkDefaults.AUDIT_RETENTION)
        Duration retention();

        /**
         * Where no Functions host runs (the local stack), take shards from the queue in-process,
         * as the host's queue trigger would.
         */
        @WithDefault("false")
        boolean localQueueDispatch();
    }

    /** The identity sweep (timer {@code identity-sweep}): see {@link com.databox.cmk.sweep.SweepSettings}. */
    interface IdentitySweep {
        /** Longer than any request takes, so that an attach in flight is never swept. */
        @WithDefault("PT15M")
        Duration settle();

        @WithDefault(CmkDefaults.FINISHED_ORDER_RETENTION)
        Duration finishedOrderRetention();

        @WithDefault("100")
        int maxChanges();
    }

    /** The relay of the orders' events from their outbox to the events queue (ARCHITECTURE.md, "Events: the outbox"). */
    interface Outbox {
        /** Pending events read per page of a sweep (the {@code outbox-relay} timer). */
        @WithDefault(CmkDefaults.OUTBOX_PAGE_SIZE)
        int pageSize();

        /** Events one sweep relays at most, and pages it reads at most; the next sweep goes on. */
        @WithDefault(CmkDefaults.OUTBOX_MAX_PER_SWEEP)
        int maxPerSweep();

        /**
         * Where no Functions host runs (the local stack), sweep the outbox in-process this often, as the
         * {@code outbox-relay} timer would; off when absent.
         */
        Optional<Duration> localSweepInterval();
    }
}
