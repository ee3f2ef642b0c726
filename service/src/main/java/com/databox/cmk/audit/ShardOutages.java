package com.databox.cmk.audit;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.unlockkey.KeyUrl;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One shard's circuit breaker, by dependency (a vault, by its address; Resource Manager): once a dependency has
 * answered {@link #OUTAGES_BEFORE_SKIPPING} of the shard's pairs (or identities) in a row with an outage (a timeout,
 * throttling, a refusal to connect: {@code KeyVaultUnavailable}, {@code ResourceManagerUnavailable}), the shard calls it
 * no more. Its other orders get no verdict this run, as those the outage met: counted {@code notAudited}, they keep
 * their health, and the next run asks again. A customer's verdict (access denied, a key not found) is an answer and
 * starts the count again.
 *
 * <p>Each call to a vault that does not answer costs the call's deadline (30 s), and a shard proves its pairs
 * {@code cmk.audit.concurrency} at a time while it holds one of the instance's {@code cmk.audit.shards-at-once}: a page
 * of 600 distinct pairs on one silent vault held its slot some 19 minutes, and every other tenant's shards, the timer's
 * run of every tenant too, waited behind it (bug bash nn1, F2). With the breaker, such a shard ends after about one
 * deadline, and a vault that throttles is no longer asked again and again.
 */
final class ShardOutages {
    /** Outages in a row, of distinct pairs or identities, after which the shard calls the dependency no more. */
    static final int OUTAGES_BEFORE_SKIPPING = 2;

    private static final Logger LOG = Logger.getLogger(ShardOutages.class);

    /** What the shard calls: a vault, by its address ({@link KeyUrl#vaultUrl()}), or Resource Manager. */
    sealed interface Dependency {
        String described();

        ErrorCode outage();

        static Dependency vaultOf(KeyUrl key) {
            return new Vault(key.vaultUrl());
        }
    }

    record Vault(String url) implements Dependency {
        @Override
        public String described() {
            return "Key Vault " + url;
        }

        @Override
        public ErrorCode outage() {
            return ErrorCode.KeyVaultUnavailable;
        }
    }

    record ResourceManager() implements Dependency {
        @Override
        public String described() {
            return "Azure Resource Manager";
        }

        @Override
        public ErrorCode outage() {
            return ErrorCode.ResourceManagerUnavailable;
        }
    }

    static final Dependency RESOURCE_MANAGER = new ResourceManager();

    /** Per dependency: the subjects (pairs, identities) its outages met since its last answer; absent, none. */
    private final Map<Dependency, Set<String>> outagesInARow = new ConcurrentHashMap<>();

    private final Set<Dependency> skipped = ConcurrentHashMap.newKeySet();
    private final String shard;

    ShardOutages(String runId, int index) {
        this.shard = "Audit run " + runId + " shard " + index;
    }

    /** Whether the shard calls {@code dependency} no more. */
    boolean skips(Dependency dependency) {
        return skipped.contains(dependency);
    }

    /** @throws TransientAuditFailure when the shard calls {@code dependency} no more */
    void requireCallable(Dependency dependency) {
        if (skips(dependency)) {
            throw new TransientAuditFailure(
                    dependency.outage(),
                    dependency.described() + " answered " + OUTAGES_BEFORE_SKIPPING + " of this shard's calls in a row"
                            + " with an outage; this shard calls it no more this run");
        }
    }

    /** The dependency answered: its outages in a row start again from none. */
    void answered(Dependency dependency) {
        outagesInARow.remove(dependency);
        skipped.remove(dependency);
    }

    /** Counts {@code failure} if it is {@code dependency}'s outage; any other failure says nothing of it. */
    void failed(Dependency dependency, String subject, TransientAuditFailure failure) {
        if (failure.code() != dependency.outage()) {
            return;
        }
        boolean opened;
        Set<String> subjects = outagesInARow.computeIfAbsent(dependency, d -> new HashSet<>());
        synchronized (subjects) {
            subjects.add(subject);
            opened = subjects.size() >= OUTAGES_BEFORE_SKIPPING && skipped.add(dependency);
        }
        if (opened) {
            LOG.warnf(
                    "%s: %s answered %s calls in a row with an outage (%s); the shard calls it no more this run, and"
                            + " its orders left are not audited",
                    shard, dependency.described(), OUTAGES_BEFORE_SKIPPING, failure.getMessage());
        }
    }
}
