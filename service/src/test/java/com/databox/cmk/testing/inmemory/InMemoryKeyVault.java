package com.databox.cmk.testing.inmemory;

import com.databox.cmk.encryption.KeyDescription;
import com.databox.cmk.encryption.KeyVaultGateway;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.MGF1ParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * Key Vault in memory, for fast tests: RSA key versions made with the JCA, so that every wrap is
 * a real RSA-OAEP-256 wrap and every unwrap a real unwrap; access policies per (vault, identity);
 * the failures a real vault answers, with the codes and targets that {@code KeyVaultErrors} gives
 * them. Generated RSA key pairs are shared between instances (making them is the slow part).
 */
public final class InMemoryKeyVault implements KeyVaultGateway {
    public enum Permission {
        Get,
        WrapKey,
        UnwrapKey
    }

    public static final String ALGORITHM = "RSA-OAEP-256";
    private static final Map<Integer, List<KeyPair>> PAIRS = new ConcurrentHashMap<>();
    private final Set<KeyPair> pairsInUse = Collections.newSetFromMap(new IdentityHashMap<>());

    /** One key version and its attributes; mutable so a test can disable or expire it. */
    public static final class Version {
        final KeyUrl url;
        final KeyPair pair;
        final String keyType;
        final int bits;
        volatile boolean enabled = true;
        volatile Instant notBefore;
        volatile Instant expiresOn;

        Version(KeyUrl url, KeyPair pair, String keyType, int bits) {
            this.url = url;
            this.pair = pair;
            this.keyType = keyType;
            this.bits = bits;
        }

        public String keyId() {
            return url.keyId();
        }

        public Version disable() {
            enabled = false;
            return this;
        }

        public Version enable() {
            enabled = true;
            return this;
        }

        public Version expire(Instant at) {
            expiresOn = at;
            return this;
        }
    }

    private final Map<String, List<Version>> keys = new ConcurrentHashMap<>();
    private final Map<String, String> recoveryLevels = new ConcurrentHashMap<>();
    private final Map<String, Set<Permission>> access = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final Clock clock;
    private volatile ServiceException outage;

    public InMemoryKeyVault(Clock clock) {
        this.clock = clock;
    }

    /** Creates a vault at {@code https://{name}.vault.azure.net} with purge protection on. */
    public String createVault(String name) {
        String vaultUrl = "https://" + name + ".vault.azure.net";
        recoveryLevels.put(vaultUrl, "Recoverable");
        return vaultUrl;
    }

    public void setRecoveryLevel(String vaultUrl, String level) {
        recoveryLevels.put(vaultUrl, level);
    }

    /** A new RSA 2048 version of the key (created with the first one). */
    public Version addVersion(String vaultUrl, String keyName) {
        return addVersion(vaultUrl, keyName, "RSA", 2048);
    }

    public Version addVersion(String vaultUrl, String keyName, String keyType, int bits) {
        KeyUrl url = KeyUrl.parse(
                vaultUrl + "/keys/" + keyName + "/" + HexFormat.of().formatHex(randomBytes(16)));
        Version version = new Version(url, unusedPair(bits), keyType, bits);
        keys.computeIfAbsent(versionless(url), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(version);
        return version;
    }

    /** The version {@code keyId} names, for a test to disable or expire it. */
    public Version version(String keyId) {
        KeyUrl url = KeyUrl.parse(keyId);
        return keys.getOrDefault(versionless(url), List.of()).stream()
                .filter(v -> v.keyId().equals(keyId))
                .findFirst()
                .orElseThrow();
    }

    public void grant(String vaultUrl, WrappingIdentity identity, Permission... permissions) {
        access.computeIfAbsent(vaultUrl + "|" + identity.key(), k -> ConcurrentHashMap.newKeySet())
                .addAll(List.of(permissions));
    }

    public void grantAll(String vaultUrl, WrappingIdentity identity) {
        grant(vaultUrl, identity, Permission.values());
    }

    public void revoke(String vaultUrl, WrappingIdentity identity, Permission... permissions) {
        Set<Permission> granted = access.get(vaultUrl + "|" + identity.key());
        if (granted != null) {
            List.of(permissions).forEach(granted::remove);
        }
    }

    /** Every call fails as throttled until {@link #recover()}. */
    public void goDown() {
        outage = new ServiceException(
                ErrorCode.KeyVaultUnavailable,
                "Key Vault did not answer; nothing was changed.",
                "kekUrl",
                Duration.ofSeconds(1),
                null);
    }

    public void recover() {
        outage = null;
        silent.clear();
    }

    /** Per vault URL, how long its calls take before they fail as Key Vault not answering within the deadline. */
    private final Map<String, Duration> silent = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> callsByVault = new ConcurrentHashMap<>();

    /**
     * From now on each call to {@code vaultUrl} waits {@code deadline} and then fails as a vault that does not answer
     * (its deadline passed: {@code KeyVaultUnavailable}), until {@link #recover()}; the other vaults answer as ever.
     */
    public void silence(String vaultUrl, Duration deadline) {
        silent.put(vaultUrl, deadline);
    }

    /** How many calls reached {@code vaultUrl}. */
    public int calls(String vaultUrl) {
        AtomicInteger n = callsByVault.get(vaultUrl);
        return n == null ? 0 : n.get();
    }

    /** How many calls reached the vault (describe, wrap, unwrap). */
    public int calls() {
        return calls.get();
    }

    @Override
    public KeyDescription describe(KeyUrl key, WrappingIdentity identity) {
        Version version = find(key, identity, Permission.Get, "get");
        String level = recoveryLevels.get(version.url.vaultUrl());
        return new KeyDescription(
                version.url,
                version.keyType,
                version.bits,
                level,
                level.contains("Purgeable") ? null : 90,
                version.enabled,
                version.notBefore,
                version.expiresOn,
                version.keyType.startsWith("RSA") ? version.pair.getPublic() : null);
    }

    @Override
    public WrappedUnlockKey wrap(KeyUrl key, WrappingIdentity identity, byte[] unlockKey) {
        Version version = usable(find(key, identity, Permission.WrapKey, "wrapKey"));
        return new WrappedUnlockKey(
                version.url, ALGORITHM, crypt(Cipher.ENCRYPT_MODE, version.pair.getPublic(), unlockKey));
    }

    @Override
    public byte[] unwrap(WrappedUnlockKey wrapped, WrappingIdentity identity) {
        // As Key Vault: unwrap is allowed outside the validity window (only wrap, encrypt and sign are refused).
        Version version = enabled(find(wrapped.keyUrl(), identity, Permission.UnwrapKey, "unwrapKey"));
        try {
            return cipher(Cipher.DECRYPT_MODE, version.pair.getPrivate()).doFinal(wrapped.value());
        } catch (GeneralSecurityException e) {
            throw new ServiceException(
                    ErrorCode.InternalError,
                    "Key Vault answered HTTP 400 for the key " + version.keyId() + ".",
                    "kekUrl");
        }
    }

    @Override
    public WrappedUnlockKey wrapWithPublicKey(KeyDescription key, byte[] value) {
        return new WrappedUnlockKey(key.keyUrl(), ALGORITHM, crypt(Cipher.ENCRYPT_MODE, key.publicKey(), value));
    }

    /** Every call takes {@code delay}, as over a network; {@link #mostCallsAtOnce()} counts the overlap. */
    public void slowCalls(Duration delay) {
        callDelay = delay;
    }

    /** The most slow calls in flight at one moment. */
    public int mostCallsAtOnce() {
        return mostCallsAtOnce.get();
    }

    private volatile Duration callDelay = Duration.ZERO;
    private final AtomicInteger callsInFlight = new AtomicInteger();
    private final AtomicInteger mostCallsAtOnce = new AtomicInteger();

    private void takeTime() {
        if (callDelay.isZero()) {
            return;
        }
        mostCallsAtOnce.accumulateAndGet(callsInFlight.incrementAndGet(), Math::max);
        try {
            Thread.sleep(callDelay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            callsInFlight.decrementAndGet();
        }
    }

    private Version find(KeyUrl url, WrappingIdentity identity, Permission permission, String operation) {
        calls.incrementAndGet();
        callsByVault.computeIfAbsent(url.vaultUrl(), v -> new AtomicInteger()).incrementAndGet();
        takeTime();
        if (outage != null) {
            throw outage;
        }
        Duration deadline = silent.get(url.vaultUrl());
        if (deadline != null) {
            try {
                Thread.sleep(deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new ServiceException(
                    ErrorCode.KeyVaultUnavailable,
                    "Key Vault did not answer within " + deadline + " for the key " + url + "; nothing was changed.",
                    "kekUrl",
                    Duration.ofSeconds(30),
                    null);
        }
        if (!recoveryLevels.containsKey(url.vaultUrl())) {
            throw new ServiceException(
                    ErrorCode.SsemUserErrorKeyVaultDetailsNotFound,
                    "The key vault " + url.vaultUrl() + " cannot be reached; it may not exist.",
                    "kekUrl");
        }
        Set<Permission> granted = access.getOrDefault(url.vaultUrl() + "|" + identity.key(), Set.of());
        if (!granted.contains(permission)) {
            throw new ServiceException(
                    ErrorCode.SsemUserErrorKeyVaultBadRequestException,
                    "The identity lacks the " + operation + " permission on the key " + url + ".",
                    "identityProperties");
        }
        List<Version> versions = keys.getOrDefault(versionless(url), List.of());
        Version found = url.isVersioned()
                ? versions.stream()
                        .filter(v -> v.url.version().equals(url.version()))
                        .findFirst()
                        .orElse(null)
                : versions.isEmpty() ? null : versions.getLast();
        if (found == null) {
            throw new ServiceException(
                    ErrorCode.SsemUserErrorKeyDetailsNotFound,
                    "The key " + url + " was not found in its key vault.",
                    "kekUrl");
        }
        return found;
    }

    private static Version enabled(Version version) {
        if (!version.enabled) {
            throw new ServiceException(
                    ErrorCode.SsemUserErrorEncryptionKeyDisabled,
                    "The key " + version.keyId() + " is disabled.",
                    "kekUrl");
        }
        return version;
    }

    private Version usable(Version version) {
        Instant now = clock.instant();
        enabled(version);
        if (version.expiresOn != null && !now.isBefore(version.expiresOn)
                || version.notBefore != null && now.isBefore(version.notBefore)) {
            throw new ServiceException(
                    ErrorCode.SsemUserErrorEncryptionKeyExpired,
                    "The key " + version.keyId() + " is expired or not yet valid.",
                    "kekUrl");
        }
        return version;
    }

    private static String versionless(KeyUrl url) {
        return url.withVersion(null).keyId();
    }

    private static byte[] crypt(int mode, Key key, byte[] value) {
        try {
            return cipher(mode, key).doFinal(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RSA-OAEP-256 as Key Vault does it: SHA-256 for the hash and for MGF1. */
    private static Cipher cipher(int mode, Key key) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
        cipher.init(
                mode,
                key,
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        return cipher;
    }

    /**
     * A pair no other version of this vault has, as in Key Vault, where only a backup or an import puts the same
     * material in two keys: the service unwraps with a change's target key when the stored one refuses, so two
     * versions sharing a pair by chance made tests of a refused key pass or fail at random (one in four, when
     * pairs were reused at random). Pairs are shared between instances, as making them is the slow part.
     */
    private synchronized KeyPair unusedPair(int bits) {
        List<KeyPair> made = PAIRS.computeIfAbsent(bits, b -> new java.util.concurrent.CopyOnWriteArrayList<>());
        for (KeyPair pair : made) {
            if (pairsInUse.add(pair)) {
                return pair;
            }
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            KeyPair pair = generator.generateKeyPair();
            made.add(pair);
            pairsInUse.add(pair);
            return pair;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
