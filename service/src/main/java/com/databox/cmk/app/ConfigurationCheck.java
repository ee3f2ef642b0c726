package com.databox.cmk.app;

import com.databox.cmk.api.PublicUrls;
import com.databox.cmk.api.TenantAdmission;
import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.identity.ArmSettings;
import com.databox.cmk.order.AzureCloud;
import com.databox.cmk.storage.StorageNames;
import com.databox.cmk.storage.TenantQueueCmkEvents;
import com.databox.cmk.unlockkey.KeyUrl;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Every setting that has a rule is checked as the app starts, and a bad one stops the start with one message
 * naming each. They were read where they are used: a bad one started the app, then answered {@code 500} on
 * every request or timer that needed it, and an audit concurrency of 0 made every shard wait for ever (bug bash
 * of 2026-12-06, F2 of secrecy, bounds and operability). Only values are checked here; nothing is called.
 */
@ApplicationScoped
public class ConfigurationCheck {
    private static final Logger LOG = Logger.getLogger(ConfigurationCheck.class);

    void onStart(@Observes StartupEvent start, CmkConfig config) {
        List<String> problems = new ArrayList<>(problems(config));
        problems.addAll(problems(ConfigProvider.getConfig()));
        if (!problems.isEmpty()) {
            String refusal = "Bad configuration, the app does not start: " + String.join("; ", problems);
            // A line of its own: Quarkus logs the exception inside its stack trace, the message on a "Caused by" line
            // (bug bash bb95 L4).
            LOG.error(refusal);
            throw new IllegalStateException(refusal);
        }
    }

    private static final String AUDIENCES = "mp.jwt.verify.audiences";
    private static final String TENANT_ID = "{tenantid}";
    private static final int MAX_STORAGE_PAGE = 1000;

    /** An allowance for clocks that disagree; more would keep expired tokens usable. */
    private static final Duration MAX_CLOCK_SKEW = Duration.ofHours(1);

    /**
     * The settings read outside {@link CmkConfig}. Without an audience smallrye-jwt checks none: the app started
     * without {@code ENTRA_AUDIENCE}, and a token the caller's tenant issued for any other resource (Resource
     * Manager, Key Vault) was taken here (bug bash bb95 H1).
     */
    static List<String> problems(Config config) {
        Problems problems = new Problems();
        Optional<String> audiences;
        try {
            audiences = config.getOptionalValue(AUDIENCES, String.class);
        } catch (NoSuchElementException unexpandable) {
            audiences = Optional.empty();
        }
        if (audiences.filter(a -> !a.isBlank()).isEmpty()) {
            problems.add("ENTRA_AUDIENCE (" + AUDIENCES + ") must be set: the service's application ID URI, the"
                    + " audience every caller's token must be issued for");
        }
        config.getOptionalValue("cmk.jobs.table", String.class)
                .ifPresent(table -> problems.check(() -> StorageNames.requireTableName("cmk.jobs.table", table)));
        return problems.found;
    }

    static List<String> problems(CmkConfig config) {
        Problems problems = new Problems();
        problems.check(() -> ServiceBeans.auditSettings(config));
        // The rules between settings only once each is well formed: its own check names it otherwise.
        Optional<VaultHostPolicy> vaultHosts = problems.built(() -> ServiceBeans.vaultHosts(config.keyvault()), null);
        Optional<KeyUrl> microsoftKey =
                problems.built(() -> KeyUrl.parse(config.microsoftKey().url()), "cmk.microsoft-key.url");
        vaultHosts.ifPresent(hosts -> problems.check(() -> requireUnderAzureClouds(hosts)));
        vaultHosts.ifPresent(
                hosts -> microsoftKey.ifPresent(key -> problems.check(() -> requireMicrosoftKeyAllowed(hosts, key))));
        problems.check(() -> TenantAdmission.of(config.callers().allowedTenants()));
        Duration skew = config.callers().clockSkew();
        if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW) > 0) {
            problems.add("cmk.callers.clock-skew must be from PT0S to " + MAX_CLOCK_SKEW + ", not " + skew);
        }
        problems.positive("cmk.callers.max-lifetime", config.callers().maxLifetime());
        String issuer = config.callers().issuerTemplate();
        problems.httpsOrLoopbackUrl("cmk.callers.issuer-template", issuer);
        if (!issuer.contains(TENANT_ID)) {
            problems.add("cmk.callers.issuer-template must name the token's tenant as " + TENANT_ID
                    + " (every tenant's tokens have an issuer of its own), not '" + issuer + "'");
        }
        problems.httpsOrLoopbackUrl(
                "cmk.callers.jwks-template", config.callers().jwksTemplate());
        problems.publicBaseUrl("cmk.public-base-url", config.publicBaseUrl().map(URI::toString));
        problems.publicBaseUrl("cmk.arm-public-base-url", config.armPublicBaseUrl());

        CmkConfig.Identity identity = config.identity();
        if (!CredentialsFactory.isKnownCredential(identity.credential())) {
            problems.add(
                    CredentialsFactory.unknownCredential(identity.credential()).getMessage());
        }
        if (CredentialsFactory.CLIENT_ASSERTION.equals(identity.credential())) {
            CmkConfig.Federation federation = identity.federation();
            problems.required(
                    "cmk.identity.federation.tenant-id", federation.tenantId().map(Object::toString));
            problems.required(
                    "cmk.identity.federation.client-id", federation.clientId().map(Object::toString));
            problems.required(
                    "cmk.identity.federation.token-file", federation.tokenFile().map(Object::toString));
        }
        problems.httpsUrl(
                "cmk.identity.federation.authority-host", identity.federation().authorityHost());
        problems.httpsUrl(
                "cmk.identity.cross-tenant.authority-host",
                identity.crossTenant().authorityHost());
        problems.readable(
                "cmk.identity.federation.trusted-certificate",
                identity.federation().trustedCertificate());
        problems.readable(
                "cmk.identity.cross-tenant.trusted-certificate",
                identity.crossTenant().trustedCertificate());
        problems.readable("cmk.identity.arm.trusted-certificate", identity.arm().trustedCertificate());
        problems.readable("cmk.keyvault.trusted-certificate", config.keyvault().trustedCertificate());
        problems.atLeast("cmk.identity.user-assigned-limit", identity.userAssignedLimit(), 1);
        problems.atLeast("cmk.identity.system-assigned-limit", identity.systemAssignedLimit(), 0);
        if (!"https".equalsIgnoreCase(identity.arm().endpoint().getScheme())) {
            problems.add("cmk.identity.arm.endpoint must be an https URL, not "
                    + identity.arm().endpoint());
        }
        CmkConfig.Arm arm = identity.arm();
        problems.check(
                () -> ArmSettings.requireSubscriptionId(arm.subscriptionId()), "cmk.identity.arm.subscription-id");
        problems.check(() -> ArmSettings.requireResourceGroup(arm.resourceGroup()), "cmk.identity.arm.resource-group");
        problems.check(
                () -> ArmSettings.requireFunctionApp(arm.functionAppResourceId()),
                "cmk.identity.arm.function-app-resource-id");
        problems.outboundCalls("cmk.identity.arm", arm);
        problems.outboundCalls("cmk.keyvault", config.keyvault());
        problems.positive("cmk.keyvault.request-deadline", config.keyvault().requestDeadline());
        problems.notNegative("cmk.keyvault.max-retry-after", config.keyvault().maxRetryAfter());

        CmkConfig.Storage storage = config.storage();
        boolean connectionString =
                storage.connectionString().filter(s -> !s.isBlank()).isPresent();
        Optional<String> tableEndpoint = storage.tableEndpoint().filter(s -> !s.isBlank());
        Optional<String> queueEndpoint = storage.queueEndpoint().filter(s -> !s.isBlank());
        if (connectionString) {
            problems.storageConnectionString(
                    "cmk.storage.connection-string (AzureWebJobsStorage)",
                    storage.connectionString().get());
        } else {
            if (tableEndpoint.isEmpty() && queueEndpoint.isEmpty()) {
                problems.add("set cmk.storage.connection-string (AzureWebJobsStorage), or cmk.storage.table-endpoint"
                        + " and cmk.storage.queue-endpoint");
            } else {
                // Reached with the app's own identity, whose token the SDKs send over https only.
                problems.required("cmk.storage.table-endpoint", tableEndpoint);
                problems.required("cmk.storage.queue-endpoint", queueEndpoint);
                tableEndpoint.ifPresent(url -> problems.httpsUrl("cmk.storage.table-endpoint", url));
                queueEndpoint.ifPresent(url -> problems.httpsUrl("cmk.storage.queue-endpoint", url));
            }
        }
        problems.check(() -> StorageNames.requireTableName("cmk.storage.orders-table", storage.ordersTable()));
        problems.check(() -> StorageNames.requireTableName("cmk.storage.audits-table", storage.auditsTable()));
        problems.check(() -> StorageNames.requireTableName("cmk.storage.identities-table", storage.identitiesTable()));
        problems.check(() ->
                StorageNames.requireQueueNameWithPoison("cmk.storage.audit-shards-queue", storage.auditShardsQueue()));
        problems.check(() -> TenantQueueCmkEvents.requireValidPrefix(storage.eventsQueue()));
        problems.positive("cmk.storage.timeout", storage.timeout());
        problems.atLeast("cmk.storage.max-retries", storage.maxRetries(), 0);

        problems.positive("cmk.http.body-timeout", config.http().bodyTimeout());
        problems.atLeast("cmk.http.max-in-flight", config.http().maxInFlight(), 1);
        problems.atLeast("cmk.outbox.page-size", config.outbox().pageSize(), 1);
        if (config.outbox().pageSize() > MAX_STORAGE_PAGE) {
            problems.add("cmk.outbox.page-size must be " + MAX_STORAGE_PAGE
                    + " at most (one Table Storage page: a larger $top is refused), not "
                    + config.outbox().pageSize());
        }
        problems.atLeast("cmk.outbox.max-per-sweep", config.outbox().maxPerSweep(), 1);
        config.outbox()
                .localSweepInterval()
                .ifPresent(every -> problems.positive("cmk.outbox.local-sweep-interval", every));

        CmkConfig.IdentitySweep sweep = config.identitySweep();
        problems.notNegative("cmk.identity-sweep.settle", sweep.settle());
        problems.notNegative("cmk.identity-sweep.finished-order-retention", sweep.finishedOrderRetention());
        problems.atLeast("cmk.identity-sweep.max-changes", sweep.maxChanges(), 1);
        return problems.found;
    }

    /**
     * The service's own key is reached through the same allow-list as the customers': one on a host it does not
     * admit started the app, and every Microsoft-managed order's creation, revert and {@code listCredentials} was
     * then refused (bug bash of 2026-12-06, operator F2).
     */
    private static void requireMicrosoftKeyAllowed(VaultHostPolicy hosts, KeyUrl key) {
        try {
            hosts.requireAllowed(key);
        } catch (RuntimeException notAllowed) {
            throw new IllegalArgumentException("cmk.microsoft-key.url: its host '" + key.host()
                    + (key.port() == -1 ? "" : ":" + key.port())
                    + "' is not on the Key Vault allow-list (cmk.keyvault.allowed-host-suffixes, "
                    + "cmk.keyvault.allowed-local-hosts)");
        }
    }

    /**
     * An order's key must also be a Key Vault host of its cloud, so the allow-list can only narrow the clouds' hosts: a
     * suffix under none started the app and admitted no key (review rv5 M4).
     */
    private static void requireUnderAzureClouds(VaultHostPolicy hosts) {
        List<String> outside = hosts.allowedSuffixes().stream()
                .filter(suffix -> !AzureCloud.hasHostsUnder(suffix))
                .toList();
        if (!outside.isEmpty()) {
            throw new IllegalArgumentException("cmk.keyvault.allowed-host-suffixes: '" + String.join("', '", outside)
                    + "' is under no Azure cloud's Key Vault hosts (" + AzureCloud.vaultSuffixes()
                    + "), so no key there would be taken: the list can only narrow them");
        }
    }

    private static final class Problems {
        final List<String> found = new ArrayList<>();

        void add(String problem) {
            found.add(problem);
        }

        /** A rule of the domain's own, whose message names the setting. */
        void check(Runnable building) {
            check(building, null);
        }

        /** As {@link #check(Runnable, String)}, keeping what was built, for the rules between settings. */
        <T> Optional<T> built(Supplier<T> building, String setting) {
            try {
                return Optional.of(building.get());
            } catch (RuntimeException e) {
                found.add(setting == null ? e.getMessage() : setting + ": " + e.getMessage());
                return Optional.empty();
            }
        }

        /** As {@link #check(Runnable)}, for a rule whose message does not name the setting. */
        void check(Runnable building, String setting) {
            built(
                    () -> {
                        building.run();
                        return true;
                    },
                    setting);
        }

        void outboundCalls(String prefix, CmkConfig.OutboundCalls calls) {
            atLeast(prefix + ".max-retries", calls.maxRetries(), 0);
            notNegative(prefix + ".retry-delay", calls.retryDelay());
            positive(prefix + ".timeout", calls.timeout());
            atLeast(prefix + ".max-waiting-requests", calls.maxWaitingRequests(), 1);
        }

        void required(String setting, Optional<String> value) {
            if (value.filter(v -> !v.isBlank()).isEmpty()) {
                found.add(setting + " must be set");
            }
        }

        /** The callers' signing keys come from here: over plain HTTP they could be replaced on the way (review rv4). */
        void httpsOrLoopbackUrl(String setting, String value) {
            URI url = uri(value);
            boolean loopbackHttp = url != null
                    && "http".equals(lower(url.getScheme()))
                    && List.of("127.0.0.1", "localhost", "[::1]").contains(lower(url.getHost()));
            if (!loopbackHttp) {
                url(setting, value, "an absolute https URL (http only on this machine's loopback address)", "https");
            }
        }

        void httpsUrl(String setting, String value) {
            url(setting, value, "an absolute https URL", "https");
        }

        private void url(String setting, String value, String rule, String... schemes) {
            URI url = uri(value);
            if (url == null || url.getHost() == null || !List.of(schemes).contains(lower(url.getScheme()))) {
                found.add(setting + " must be " + rule + ", not '" + value + "'");
            }
        }

        /**
         * The base of every {@code Location} and {@code nextLink}: a value that is no absolute URL (a bare host name,
         * {@code WEBSITE_HOSTNAME}'s form) made them relative, and the REST layer then made them absolute with the
         * request's {@code Host} (bug bash bb95 M2).
         */
        void publicBaseUrl(String setting, Optional<String> value) {
            if (value.isEmpty() || value.get().isBlank() || value.get().equals(PublicUrls.LISTENER)) {
                return;
            }
            URI url = uri(value.get());
            if (url == null
                    || url.getHost() == null
                    || !List.of("http", "https").contains(lower(url.getScheme()))
                    || url.getRawQuery() != null
                    || url.getRawFragment() != null) {
                found.add(setting + " must be an absolute http or https URL without a query or fragment, or "
                        + PublicUrls.LISTENER + ", not '" + value.get() + "'");
            }
        }

        /**
         * The shape of a storage connection string ({@code Name=value;…}): each endpoint an absolute http or https
         * URL, the account key Base64. A bad one started the app, reported it ready, and failed every storage call
         * with a stack trace (bug bash ob1 F10). Only the names of the parts are quoted, never a value: the string
         * holds the account key.
         */
        void storageConnectionString(String setting, String value) {
            for (String part : value.split(";")) {
                if (part.isBlank()) {
                    continue;
                }
                int equals = part.indexOf('=');
                if (equals <= 0) {
                    found.add(setting + " must be Name=value pairs separated by ';', and a part is not");
                    continue;
                }
                String name = part.substring(0, equals).strip();
                String partValue = part.substring(equals + 1).strip();
                if (name.equalsIgnoreCase("AccountKey") && !isBase64(partValue)) {
                    found.add(setting + ": its AccountKey must be Base64 (the key as the portal shows it)");
                } else if (name.toLowerCase(Locale.ROOT).endsWith("endpoint")) {
                    URI url = uri(partValue);
                    // A host with '_' (a docker compose v1 container's name) is no host to java.net.URI, and the
                    // Tables SDK fails on it building its client, every request a 500 (review rv18 F1, df3 F2).
                    if (url == null
                            || url.getHost() == null
                            || !List.of("http", "https").contains(lower(url.getScheme()))) {
                        // Not quoted: a ';' left out would have put the key in it.
                        found.add(setting + ": its " + name + " must be an absolute http or https URL whose host is"
                                + " a name of letters, digits, '-' and '.' (no '_', which the Azure SDK cannot"
                                + " reach) or an address");
                    }
                }
            }
        }

        private static boolean isBase64(String value) {
            try {
                return !value.isEmpty() && Base64.getDecoder().decode(value).length > 0;
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
        }

        void readable(String setting, Optional<Path> file) {
            file.filter(path -> !Files.isReadable(path))
                    .ifPresent(path -> found.add(setting + ": no file can be read at '" + path + "'"));
        }

        private static URI uri(String value) {
            try {
                return value == null ? null : new URI(value.replace(TENANT_ID, "tenant"));
            } catch (URISyntaxException e) {
                return null;
            }
        }

        private static String lower(String scheme) {
            return scheme == null ? null : scheme.toLowerCase(Locale.ROOT);
        }

        void atLeast(String setting, int value, int least) {
            if (value < least) {
                found.add(setting + " must be " + least + " at least, not " + value);
            }
        }

        void positive(String setting, Duration value) {
            if (value.isNegative() || value.isZero()) {
                found.add(setting + " must be positive, not " + value);
            }
        }

        void notNegative(String setting, Duration value) {
            if (value.isNegative()) {
                found.add(setting + " must not be negative, not " + value);
            }
        }
    }
}
