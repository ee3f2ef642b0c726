package com.databox.cmk.app;

import com.databox.cmk.api.TenantAdmission;
import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.order.KeyUrl;
import com.databox.cmk.storage.TenantQueueCmkEvents;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every setting that has a rule is checked as the app starts, and a bad one stops the start with one message
 * naming each. They were read where they are used: a bad one started the app, then answered {@code 500} on
 * every request or timer that needed it, and an audit concurrency of 0 made every shard wait for ever (bug bash
 * of 2026-12-06, F2 of secrecy, bounds and operability). Only values are checked here; nothing is called.
 */
@ApplicationScoped
public class ConfigurationCheck {

    void onStart(@Observes StartupEvent start, CmkConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "Bad configuration, the app does not start: " + String.join("; ", problems));
        }
    }

    /** An allowance for clocks that disagree; more would keep expired tokens usable. */
    private static final Duration MAX_CLOCK_SKEW = Duration.ofHours(1);

    static List<String> problems(CmkConfig config) {
        Problems problems = new Problems();
        problems.check(() -> ServiceBeans.auditSettings(config.audit()));
        problems.check(() -> ServiceBeans.vaultHosts(config.keyvault()));
        problems.check(() -> TenantAdmission.of(config.callers().allowedTenants()));
        problems.check(() -> KeyUrl.parse(config.microsoftKey().url()), "cmk.microsoft-key.url");
        problems.check(() -> microsoftKeyOnAnAllowedHost(config));
        Duration skew = config.callers().clockSkew();
        if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW) > 0) {
            problems.add("cmk.callers.clock-skew must be from PT0S to " + MAX_CLOCK_SKEW + ", not " + skew);
        }
        problems.positive("cmk.callers.max-lifetime", config.callers().maxLifetime());

        CmkConfig.Identity identity = config.identity();
        if (!CredentialsFactory.isKnownCredential(identity.credential())) {
            problems.add(
                    CredentialsFactory.unknownCredential(identity.credential()).getMessage());
        }
        problems.atLeast("cmk.identity.user-assigned-limit", identity.userAssignedLimit(), 1);
        problems.atLeast("cmk.identity.system-assigned-limit", identity.systemAssignedLimit(), 0);
        if (!"https".equalsIgnoreCase(identity.arm().endpoint().getScheme())) {
            problems.add("cmk.identity.arm.endpoint must be an https URL, not "
                    + identity.arm().endpoint());
        }
        problems.outboundCalls("cmk.identity.arm", identity.arm());
        problems.outboundCalls("cmk.keyvault", config.keyvault());
        problems.positive("cmk.keyvault.request-deadline", config.keyvault().requestDeadline());
        problems.notNegative("cmk.keyvault.max-retry-after", config.keyvault().maxRetryAfter());

        CmkConfig.Storage storage = config.storage();
        boolean connectionString =
                storage.connectionString().filter(s -> !s.isBlank()).isPresent();
        if (!connectionString
                && storage.tableEndpoint().filter(s -> !s.isBlank()).isEmpty()) {
            problems.add("set cmk.storage.connection-string (AzureWebJobsStorage) or cmk.storage.table-endpoint");
        }
        problems.check(() -> TenantQueueCmkEvents.requireValidPrefix(storage.eventsQueue()));
        problems.positive("cmk.storage.timeout", storage.timeout());
        problems.atLeast("cmk.storage.max-retries", storage.maxRetries(), 0);

        problems.positive("cmk.http.body-timeout", config.http().bodyTimeout());
        problems.atLeast("cmk.http.max-in-flight", config.http().maxInFlight(), 1);
        problems.atLeast("cmk.outbox.page-size", config.outbox().pageSize(), 1);
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
     * then refused (bug bash of 2026-12-06, operator F2). Only when the URL and the list are themselves well
     * formed (their own checks name them otherwise).
     */
    private static void microsoftKeyOnAnAllowedHost(CmkConfig config) {
        KeyUrl key;
        VaultHostPolicy hosts;
        try {
            key = KeyUrl.parse(config.microsoftKey().url());
            hosts = ServiceBeans.vaultHosts(config.keyvault());
        } catch (RuntimeException reportedByItsOwnCheck) {
            return;
        }
        try {
            hosts.requireAllowed(key);
        } catch (RuntimeException notAllowed) {
            throw new IllegalArgumentException("cmk.microsoft-key.url: its host '" + key.host()
                    + (key.port() == -1 ? "" : ":" + key.port())
                    + "' is not on the Key Vault allow-list (cmk.keyvault.allowed-host-suffixes, "
                    + "cmk.keyvault.allowed-local-hosts)");
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

        /** As {@link #check(Runnable)}, for a rule whose message does not name the setting. */
        void check(Runnable building, String setting) {
            try {
                building.run();
            } catch (RuntimeException e) {
                found.add(setting == null ? e.getMessage() : setting + ": " + e.getMessage());
            }
        }

        void outboundCalls(String prefix, CmkConfig.OutboundCalls calls) {
            atLeast(prefix + ".max-retries", calls.maxRetries(), 0);
            notNegative(prefix + ".retry-delay", calls.retryDelay());
            positive(prefix + ".timeout", calls.timeout());
            atLeast(prefix + ".max-waiting-requests", calls.maxWaitingRequests(), 1);
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
