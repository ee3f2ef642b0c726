package com.databox.cmk.encryption;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.AzureCloud;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.UserAssignedIdentities;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * The requirements a customer-managed key must meet (API.md, "Requirements…"), each proven
 * against the vault with the identity's own token. Every check that can still tell something
 * runs, so one refused permission does not hide a weak key.
 */
public final class KeyRequirements {
    public static final String KEY_URL = "keyUrl";
    public static final String IDENTITY = "identity";
    public static final String KEY_TYPE = "keyType";
    public static final String RECOVERY_LEVEL = "recoveryLevel";
    public static final String KEY_ENABLED = "keyEnabled";
    public static final String PERMISSION_GET = "permissionGet";
    public static final String PERMISSION_WRAP = "permissionWrapKey";
    public static final String PERMISSION_UNWRAP = "permissionUnwrapKey";
    /** The checks that need the identity, in the order the report lists them. */
    private static final String[] AFTER_IDENTITY = {
        KEY_TYPE, RECOVERY_LEVEL, KEY_ENABLED, PERMISSION_GET, PERMISSION_WRAP, PERMISSION_UNWRAP
    };

    private static final Set<String> RSA_TYPES = Set.of("RSA", "RSA-HSM");
    private static final int MIN_RSA_BITS = 2048;

    /** A lookup is one blocking ARM call: a virtual thread each, never one of the request's own threads. */
    private static final Executor LOOKUPS = Executors.newVirtualThreadPerTaskExecutor();

    private final KeyVaultGateway vault;
    private final VaultHostPolicy hosts;
    private final UserAssignedIdentities directory;
    private final Clock clock;

    public KeyRequirements(
            KeyVaultGateway vault, VaultHostPolicy hosts, UserAssignedIdentities directory, Clock clock) {
        this.vault = vault;
        this.hosts = hosts;
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * Checks a whole proposed configuration: its key URL reached as its identity of {@code order}, wrapping
     * {@code value} as the proof of WrapKey and unwrapping it again as the proof of UnwrapKey. A URL that is no key
     * URL, or one that can never be used, is the first failed check of the report. Its
     * {@code kekVaultResourceID}, when given, must name the URL's vault (requirement 6), as enable
     * requires; a mismatch is the URL's failed check.
     */
    public ValidationReport check(Order order, KeyEncryptionKeyRequest proposal, byte[] value) {
        KeyUrl key;
        try {
            key = checkUrl(proposal.kekUrl(), order);
            Order.vaultResourceIdFor(key, proposal.vault()).orElseThrow();
        } catch (ServiceException e) {
            return urlRefused(proposal.kekUrl().asGiven(), e);
        }
        return checkAllowed(order, key, proposal.identity(), value);
    }

    /** As {@link #check(Order, KeyEncryptionKeyRequest, byte[])} for a key already in use (a stored one, say). */
    public ValidationReport check(Order order, KeyUrl key, KeyIdentity keyIdentity, byte[] value) {
        try {
            hosts.requireStillAllowed(key);
            requireCloud(key, order);
        } catch (ServiceException e) {
            return urlRefused(key.keyId(), e);
        }
        return checkAllowed(order, key, keyIdentity, value);
    }

    private ValidationReport urlRefused(String kekUrl, ServiceException e) {
        List<Check> checks = new ArrayList<>();
        checks.add(Check.failed(KEY_URL, e));
        checks.add(Check.skipped(IDENTITY));
        return skipRest(kekUrl, checks, AFTER_IDENTITY);
    }

    /**
     * The directory is asked whether a user-assigned identity still exists while the vault calls
     * run (issue 16, item 5: they were in series). The answer still decides first: a missing
     * identity gives the same report as before, its vault results dropped unread. Vault calls
     * change nothing and the report is only written by the caller after this returns, so nothing
     * is stored or answered before both are known.
     */
    private ValidationReport checkAllowed(Order order, KeyUrl key, KeyIdentity keyIdentity, byte[] value) {
        WrappingIdentity identity;
        try {
            identity = order.wrappingIdentityFor(keyIdentity).orElseThrow();
        } catch (ServiceException e) {
            return identityRefused(key, e);
        }
        CompletableFuture<ServiceException> missing =
                CompletableFuture.supplyAsync(() -> missingFromDirectory(order, keyIdentity, directory), LOOKUPS);
        List<Check> checks = new ArrayList<>();
        checks.add(Check.passed(KEY_URL, null));
        checks.add(Check.passed(IDENTITY, keyIdentity.type()));
        ValidationReport report;
        try {
            report = checkKey(key, identity, value, checks);
        } catch (RuntimeException vaultFailure) {
            // As before, when the directory's answer would have stopped the checks, it is the answer.
            ServiceException refused = await(missing);
            throw refused != null ? refused : vaultFailure;
        }
        ServiceException refused = await(missing);
        return refused != null ? identityRefused(key, refused) : report;
    }

    private static ValidationReport identityRefused(KeyUrl key, ServiceException e) {
        List<Check> checks = new ArrayList<>();
        checks.add(Check.passed(KEY_URL, null));
        checks.add(Check.failed(IDENTITY, e));
        return skipRest(key.keyId(), checks, AFTER_IDENTITY);
    }

    /** The lookup's answer; a failure of the lookup itself (ARM unreachable, say) is thrown as it was. */
    private static ServiceException await(CompletableFuture<ServiceException> lookup) {
        try {
            return lookup.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /**
     * Refuses a URL that is no key URL, outside the host allow-list, or not a Key Vault host of the order's cloud (its
     * location), without any network call.
     */
    public KeyUrl checkUrl(RequestedKeyUrl keyUrl, Order order) {
        KeyUrl key = keyUrl.orElseThrow();
        hosts.requireAllowed(key);
        requireCloud(key, order);
        return key;
    }

    private void requireCloud(KeyUrl key, Order order) {
        if (!hosts.isLocal(key)) {
            AzureCloud.ofLocation(order.location()).requireHost(key, order.location());
        }
    }

    /**
     * The checks of the service's own key. A check it fails (the key disabled, expired, its key_ops) is the
     * service's to fix, as the vault's refusals of it are: {@code 500}, and the order's health is not
     * touched (since 2026-12-06: validate answered the customer's code, with the service vault's URL, and
     * stored the order as AccessLost). An outage stays an outage.
     */
    public ValidationReport checkMicrosoftKey(KeyUrl key, byte[] value) {
        try {
            hosts.requireStillAllowed(key);
        } catch (ServiceException hostNoLongerAllowed) {
            // An earlier service key whose host the operator took off the list since (review of 2026-12-06, L1).
            throw ServiceException.ownKeyUnusable(hostNoLongerAllowed.code(), hostNoLongerAllowed);
        }
        ValidationReport report = checkAs(key, WrappingIdentity.SERVICE, value);
        Optional<ServiceException> failure = report.firstFailure();
        if (failure.isPresent() && !failure.get().code().saysNothingOfTheKey()) {
            ServiceException refused = failure.get();
            throw refused.code() == ErrorCode.InternalError
                    ? refused
                    : ServiceException.ownKeyUnusable(refused.code(), refused);
        }
        // The service's own key is no business of the customer's: its URL is not shown (API.md, validate).
        return new ValidationReport(null, report.checks(), report.wrapped());
    }

    /** The checks of the key as an identity already resolved (see {@link #resolve}). */
    public ValidationReport checkAs(KeyUrl key, WrappingIdentity identity, byte[] value) {
        List<Check> checks = new ArrayList<>();
        hosts.requireStillAllowed(key);
        checks.add(Check.passed(KEY_URL, null));
        checks.add(Check.passed(IDENTITY, null));
        return checkKey(key, identity, value, checks);
    }

    /** The identity as which the key is reached, once the order is known to have it and the directory still has it. */
    public WrappingIdentity resolve(Order order, KeyIdentity keyIdentity) {
        WrappingIdentity identity = order.wrappingIdentityFor(keyIdentity).orElseThrow();
        ServiceException missing = missingFromDirectory(order, keyIdentity, directory);
        if (missing != null) {
            throw missing;
        }
        return identity;
    }

    /** Null when the identity is not a user-assigned one or the directory still has it, as the order was given it. */
    private static ServiceException missingFromDirectory(
            Order order, KeyIdentity keyIdentity, UserAssignedIdentities directory) {
        if (keyIdentity instanceof KeyIdentity.UserAssigned user) {
            return user.refusedBy(directory.findUserAssigned(user.id()), order.identity())
                    .orElse(null);
        }
        return null;
    }

    private ValidationReport checkKey(KeyUrl key, WrappingIdentity identity, byte[] value, List<Check> checks) {
        KeyDescription description = null;
        ServiceException getFailure = null;
        KeyAndWrap both = null;
        if (key.isVersioned()) {
            // The wrap needs nothing from the get when the URL names the version: one round trip for
            // both (issue 16). Without a version the wrap waits for the get to name the exact one.
            both = vault.describeAndWrap(key, identity, value);
            description = both.key();
            getFailure = both.getFailure();
        } else {
            try {
                description = vault.describe(key, identity);
            } catch (ServiceException e) {
                getFailure = e;
            }
        }
        KeyUrl exactKey = description != null ? description.keyUrl() : key;
        String exactKeyId = exactKey.keyId();
        if (description != null) {
            checks.add(keyType(description));
            checks.add(recoveryLevel(description));
            checks.add(keyEnabled(description));
            checks.add(Check.passed(PERMISSION_GET, null));
        } else {
            checks.add(Check.skipped(KEY_TYPE));
            checks.add(Check.skipped(RECOVERY_LEVEL));
            checks.add(Check.skipped(KEY_ENABLED));
            checks.add(Check.failed(PERMISSION_GET, getFailure));
            if (!isRefusedPermission(getFailure)) {
                // The key or vault cannot be reached at all: wrap and unwrap would only repeat it.
                return skipRest(exactKeyId, checks, PERMISSION_WRAP, PERMISSION_UNWRAP);
            }
        }
        WrappedUnlockKey wrapped = both == null ? null : both.wrapped();
        ServiceException wrapFailure = both == null ? null : both.wrapFailure();
        if (both == null) {
            try {
                wrapped = vault.wrap(exactKey, identity, value);
            } catch (ServiceException e) {
                wrapFailure = e;
            }
        }
        checks.add(wrapped != null ? Check.passed(PERMISSION_WRAP, null) : Check.failed(PERMISSION_WRAP, wrapFailure));
        WrappedUnlockKey toUnwrap = wrapped != null
                ? wrapped
                : description != null && description.publicKey() != null
                        ? vault.wrapWithPublicKey(description, value)
                        : null;
        if (toUnwrap == null) {
            checks.add(Check.skipped(PERMISSION_UNWRAP));
            return new ValidationReport(exactKeyId, checks, null);
        }
        try {
            byte[] unwrapped = vault.unwrap(toUnwrap, identity);
            boolean same = MessageDigest.isEqual(unwrapped, value);
            Arrays.fill(unwrapped, (byte) 0);
            checks.add(
                    same
                            ? Check.passed(PERMISSION_UNWRAP, null)
                            : Check.failed(
                                    PERMISSION_UNWRAP,
                                    ErrorCode.InternalError,
                                    "The key " + exactKeyId + " did not give back what it wrapped.",
                                    "kekUrl"));
        } catch (ServiceException e) {
            checks.add(Check.failed(PERMISSION_UNWRAP, e));
        }
        ValidationReport report = new ValidationReport(exactKeyId, checks, null);
        return report.valid() ? new ValidationReport(exactKeyId, checks, wrapped) : report;
    }

    private static boolean isRefusedPermission(ServiceException e) {
        return e.code() == ErrorCode.SsemUserErrorKeyVaultBadRequestException
                && "identityProperties".equals(e.target());
    }

    private static Check keyType(KeyDescription key) {
        String type = key.keyType() == null ? "unknown" : key.keyType().toUpperCase(Locale.ROOT);
        String detail = type + (key.keySize() > 0 ? " " + key.keySize() : "");
        if (!RSA_TYPES.contains(type)) {
            return Check.failed(
                    KEY_TYPE,
                    ErrorCode.SsemUserErrorEncryptionKeyTypeNotSupported,
                    "The key " + key.keyUrl() + " is " + detail + "; only RSA and RSA-HSM keys can be used.",
                    "kekUrl");
        }
        if (key.keySize() < MIN_RSA_BITS) {
            return Check.failed(
                    KEY_TYPE,
                    ErrorCode.SsemUserErrorEncryptionKeyTypeNotSupported,
                    "The key " + key.keyUrl() + " is " + detail + "; it must have " + MIN_RSA_BITS + " bits or more.",
                    "kekUrl");
        }
        return Check.passed(KEY_TYPE, detail);
    }

    /** A recovery level that contains "Purgeable" means the vault lacks purge protection (ERRORS.md). */
    private static Check recoveryLevel(KeyDescription key) {
        String level = key.recoveryLevel();
        String days = key.recoverableDays() == null ? "" : ", " + key.recoverableDays() + " days";
        if (level == null || level.contains("Purgeable")) {
            return Check.failed(
                    RECOVERY_LEVEL,
                    ErrorCode.SsemUserErrorSoftDeleteAndPurgeProtectionNotEnabled,
                    "The vault of the key " + key.keyUrl() + " has recovery level " + level
                            + ": soft delete and purge protection must both be on.",
                    "kekUrl");
        }
        return Check.passed(RECOVERY_LEVEL, level + days);
    }

    private Check keyEnabled(KeyDescription key) {
        Instant now = clock.instant();
        if (!key.enabled()) {
            return Check.failed(
                    KEY_ENABLED,
                    ErrorCode.SsemUserErrorEncryptionKeyDisabled,
                    "The key " + key.keyUrl() + " is disabled.",
                    "kekUrl");
        }
        if (key.expiresOn() != null && !now.isBefore(key.expiresOn())) {
            return Check.failed(
                    KEY_ENABLED,
                    ErrorCode.SsemUserErrorEncryptionKeyExpired,
                    "The key " + key.keyUrl() + " expired at " + key.expiresOn() + ".",
                    "kekUrl");
        }
        if (key.notBefore() != null && now.isBefore(key.notBefore())) {
            return Check.failed(
                    KEY_ENABLED,
                    ErrorCode.SsemUserErrorEncryptionKeyExpired,
                    "The key " + key.keyUrl() + " is not valid before " + key.notBefore() + ".",
                    "kekUrl");
        }
        return Check.passed(KEY_ENABLED, null);
    }

    private static ValidationReport skipRest(String kekUrl, List<Check> checks, String... names) {
        for (String name : names) {
            checks.add(Check.skipped(name));
        }
        return new ValidationReport(kekUrl, checks, null);
    }
}
