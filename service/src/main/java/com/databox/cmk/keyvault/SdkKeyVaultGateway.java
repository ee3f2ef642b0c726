package com.databox.cmk.keyvault;

import com.azure.security.keyvault.keys.KeyAsyncClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyAsyncClient;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.UnwrapResult;
import com.azure.security.keyvault.keys.cryptography.models.WrapResult;
import com.azure.security.keyvault.keys.models.DeletedKey;
import com.azure.security.keyvault.keys.models.JsonWebKey;
import com.azure.security.keyvault.keys.models.KeyProperties;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import com.databox.cmk.encryption.KeyAndWrap;
import com.databox.cmk.encryption.KeyDescription;
import com.databox.cmk.encryption.KeyVaultGateway;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.sdkhttp.WaitingRequests;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * Key Vault through the SDK's key and cryptography clients, as the given identity. Every call ends
 * by a deadline, retries and their waits included: the current request's (all its vault calls
 * share it), or outside a request {@link KeyVaultSettings#requestDeadline()} from the call's start.
 */
public final class SdkKeyVaultGateway implements KeyVaultGateway {
    private static final KeyWrapAlgorithm ALGORITHM = KeyWrapAlgorithm.RSA_OAEP_256;

    private final KeyVaultClients clients;
    private final ManagedIdentityCredentials credentials;
    private final Supplier<Optional<Instant>> requestDeadline;
    private final Supplier<Optional<TenantId>> requestTenant;
    private final WaitingRequests waiting;

    /** Outside requests: each call has a deadline of its own, and no caller's tenant is known. */
    public SdkKeyVaultGateway(KeyVaultClients clients, ManagedIdentityCredentials credentials) {
        this(clients, credentials, Optional::empty, Optional::empty);
    }

    /**
     * @param requestDeadline the deadline of the request being served on the calling thread, if any
     * @param requestTenant the tenant of that request's caller, if any: its customer-key calls wait within the
     *     tenant's share of {@link KeyVaultSettings#maxWaitingRequests()} ({@link WaitingRequests})
     */
    public SdkKeyVaultGateway(
            KeyVaultClients clients,
            ManagedIdentityCredentials credentials,
            Supplier<Optional<Instant>> requestDeadline,
            Supplier<Optional<TenantId>> requestTenant) {
        this.clients = clients;
        this.credentials = credentials;
        this.requestDeadline = requestDeadline;
        this.requestTenant = requestTenant;
        this.waiting = WaitingRequests.ofWorkers(clients.settings().maxWaitingRequests());
    }

    @Override
    public KeyDescription describe(KeyUrl key, WrappingIdentity identity) {
        clients.hostPolicy().requireAllowed(key);
        try {
            return described(
                    key,
                    await(
                            withKeyClient(key, identity, client -> client.getKey(key.name(), key.version())),
                            key,
                            identity));
        } catch (RuntimeException e) {
            throw getFailed(key, identity, e, clients.nameServers());
        }
    }

    /** Both calls are sent before either is awaited, and share the calling request's one deadline. */
    @Override
    public KeyAndWrap describeAndWrap(KeyUrl key, WrappingIdentity identity, byte[] value) {
        clients.hostPolicy().requireAllowed(key);
        Instant deadline = deadline();
        // Both answers awaited while counted as one waiting request; what a failure needs to be explained (a
        // deleted key looked for) is asked afterwards, as a wait of its own.
        GetAndWrap answers = waitingFor(identity, key, () -> {
            CompletableFuture<KeyVaultKey> get = bounded(
                            withKeyClient(key, identity, client -> client.getKey(key.name(), key.version())),
                            key,
                            deadline)
                    .toFuture();
            CompletableFuture<WrapResult> wrap = bounded(
                            withCryptographyClient(key, identity, client -> client.wrapKey(ALGORITHM, value)),
                            key,
                            deadline)
                    .toFuture();
            // The key described while the wrap is still on its way, as before the two were counted.
            return new GetAndWrap(Settled.of(() -> described(key, join(get))), Settled.of(() -> join(wrap)));
        });
        // Both calls fail alike when the vault's name does not resolve: its name server is asked once.
        NameServers nameServers = clients.nameServers().askingEachHostOnce();
        KeyDescription description = null;
        ServiceException getFailure = null;
        try {
            description = answers.get().value();
        } catch (RuntimeException e) {
            getFailure = getFailed(key, identity, e, nameServers);
        }
        try {
            return new KeyAndWrap(
                    description, getFailure, wrapped(key, answers.wrap().value()), null);
        } catch (RuntimeException e) {
            return new KeyAndWrap(description, getFailure, null, mapped(e, key, identity, "wrapKey", nameServers));
        }
    }

    private record GetAndWrap(Settled<KeyDescription> get, Settled<WrapResult> wrap) {}

    /** A call's answer or its failure, once it is known. */
    private record Settled<T>(T answer, RuntimeException failure) {
        static <T> Settled<T> of(Supplier<T> call) {
            try {
                return new Settled<>(call.get(), null);
            } catch (RuntimeException e) {
                return new Settled<>(null, e);
            }
        }

        T value() {
            if (failure != null) {
                throw failure;
            }
            return answer;
        }
    }

    /**
     * The failure as the service reports it; the allow-list says whether the vault is a local one, and
     * the name server, asked again, whether a name the resolver gave up on was refused.
     */
    private ServiceException mapped(RuntimeException e, KeyUrl key, WrappingIdentity identity, String permission) {
        return mapped(e, key, identity, permission, clients.nameServers());
    }

    private ServiceException mapped(
            RuntimeException e, KeyUrl key, WrappingIdentity identity, String permission, NameServers nameServers) {
        return KeyVaultErrors.map(
                e, key, identity, permission, clients.hostPolicy().isLocal(key), nameServers);
    }

    private ServiceException getFailed(
            KeyUrl key, WrappingIdentity identity, RuntimeException e, NameServers nameServers) {
        return explainedIfDeleted(key, identity, mapped(e, key, identity, "get", nameServers));
    }

    /**
     * A key not found is looked for among the vault's deleted keys, whichever call met it: a key change,
     * a revert or listCredentials that unwraps first says until when the key can be recovered, as validate
     * does (API.md; since 2026-12-05, before only a key's read said it).
     */
    private ServiceException explainedIfDeleted(KeyUrl key, WrappingIdentity identity, ServiceException failure) {
        return failure.code() == ErrorCode.SsemUserErrorKeyDetailsNotFound
                ? explainDeleted(key, identity, failure)
                : failure;
    }

    @Override
    public WrappedUnlockKey wrap(KeyUrl key, WrappingIdentity identity, byte[] value) {
        clients.hostPolicy().requireAllowed(key);
        try {
            return wrapped(
                    key,
                    await(
                            withCryptographyClient(key, identity, client -> client.wrapKey(ALGORITHM, value)),
                            key,
                            identity));
        } catch (RuntimeException e) {
            throw explainedIfDeleted(key, identity, mapped(e, key, identity, "wrapKey"));
        }
    }

    @Override
    public byte[] unwrap(WrappedUnlockKey wrapped, WrappingIdentity identity) {
        KeyUrl key = storedKeyOnAllowedHost(wrapped.keyUrl(), identity);
        try {
            UnwrapResult result = await(
                    withCryptographyClient(
                            key,
                            identity,
                            client -> client.unwrapKey(
                                    KeyWrapAlgorithm.fromString(wrapped.algorithm()), wrapped.value())),
                    key,
                    identity);
            // Not used, but an answer naming another key than the stored one is no answer: nothing unwrapped is given.
            answeredKeyUrl(key, result.getKeyId());
            return result.getKey();
        } catch (RuntimeException e) {
            throw explainedIfDeleted(key, identity, mapped(e, key, identity, "unwrapKey"));
        }
    }

    /**
     * The key a wrapped unlock key was stored with, refused when its host was taken off the allow-list since
     * ({@link com.databox.cmk.encryption.VaultHostPolicy#requireStillAllowed}); the service's own key is the
     * operator's fault ({@code 500}: it gave the customer the customer's code; bug bash of 2026-12-06, operator F2).
     */
    private KeyUrl storedKeyOnAllowedHost(KeyUrl key, WrappingIdentity identity) {
        try {
            clients.hostPolicy().requireStillAllowed(key);
        } catch (ServiceException refused) {
            throw identity instanceof WrappingIdentity.ServiceIdentity
                    ? ServiceException.ownKeyUnusable(refused.code(), refused)
                    : refused;
        }
        return key;
    }

    /**
     * The vault names the exact version it used, also when the URL had none: that version is stored, and unwraps
     * later. (Since 2026-12-07, an ID answered that is no key identifier is an outage, as one a key's read answers:
     * before, it was the customer's {@code SsemUserErrorInvalidKeyVaultUrl}.)
     */
    private static WrappedUnlockKey wrapped(KeyUrl asked, WrapResult result) {
        KeyUrl used = answeredKeyUrl(asked, result.getKeyId());
        return new WrappedUnlockKey(used, result.getAlgorithm().toString(), result.getEncryptedKey());
    }

    /** Deferred: a credential that cannot be made (an identity gone from the directory) fails the call, as its token would. */
    private <T> Mono<T> withKeyClient(KeyUrl key, WrappingIdentity identity, Function<KeyAsyncClient, Mono<T>> call) {
        return Mono.defer(() -> clients.withKeyClient(key, identity.key(), credentials.credential(identity), call));
    }

    private <T> Mono<T> withCryptographyClient(
            KeyUrl key, WrappingIdentity identity, Function<CryptographyAsyncClient, Mono<T>> call) {
        return Mono.defer(
                () -> clients.withCryptographyClient(key, identity.key(), credentials.credential(identity), call));
    }

    /**
     * The call's answer, or {@code KeyVaultUnavailable} once the deadline passes: waiting is given
     * up (the SDK's retries and their waits with it) and nothing is changed, since every change
     * writes only after all its vault calls succeeded.
     */
    private <T> T await(Mono<T> call, KeyUrl key, WrappingIdentity identity) {
        return waitingFor(identity, key, () -> bounded(call, key, deadline()).block());
    }

    /**
     * The call, made while it counts as waiting on Key Vault: the service's own key's in the instance's bound only,
     * a customer's key's in the customers' share and its caller's tenant's share too.
     */
    private <T> T waitingFor(WrappingIdentity identity, KeyUrl key, Supplier<T> call) {
        Optional<TenantId> tenant =
                identity instanceof WrappingIdentity.ServiceIdentity ? Optional.empty() : requestTenant.get();
        WaitingRequests.Waiter<TenantId> waiter = identity instanceof WrappingIdentity.ServiceIdentity
                ? new WaitingRequests.Waiter.Own<>()
                : new WaitingRequests.Waiter.Caller<>(tenant);
        return waiting.call(waiter, call, refusal -> KeyVaultErrors.tooManyWaiting(key, refusal, tenant.isPresent()));
    }

    /** The calling request's deadline, or one of its own from now outside a request. */
    private Instant deadline() {
        return requestDeadline
                .get()
                .orElseGet(() -> Instant.now().plus(clients.settings().requestDeadline()));
    }

    /** The call, failing with {@code KeyVaultUnavailable} at the deadline, or at once when it has passed. */
    private <T> Mono<T> bounded(Mono<T> call, KeyUrl key, Instant deadline) {
        Duration budget = clients.settings().requestDeadline();
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            return Mono.error(() -> KeyVaultErrors.deadlinePassed(key, budget));
        }
        return call.timeout(left, Mono.error(() -> KeyVaultErrors.deadlinePassed(key, budget)));
    }

    /** A started call's answer, its failure thrown as {@link Mono#block()} would throw it. */
    private static <T> T join(CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : Exceptions.propagate(e.getCause());
        }
    }

    /** RSA-OAEP-256 as Key Vault does it: SHA-256 for the hash and for MGF1. */
    @Override
    public WrappedUnlockKey wrapWithPublicKey(KeyDescription key, byte[] value) {
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(
                    Cipher.ENCRYPT_MODE,
                    key.publicKey(),
                    new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
            return new WrappedUnlockKey(key.keyUrl(), ALGORITHM.toString(), cipher.doFinal(value));
        } catch (GeneralSecurityException e) {
            throw new ServiceException(
                    ErrorCode.InternalError, "The public key of " + key.keyUrl() + " cannot wrap.", "kekUrl", null, e);
        }
    }

    private static KeyDescription described(KeyUrl asked, KeyVaultKey key) {
        JsonWebKey jwk = key.getKey();
        KeyProperties properties = key.getProperties();
        PublicKey publicKey = null;
        int size = 0;
        if (jwk.getN() != null && jwk.getE() != null) {
            BigInteger modulus = new BigInteger(1, jwk.getN());
            size = modulus.bitLength();
            publicKey = rsaPublicKey(modulus, new BigInteger(1, jwk.getE()));
        } else if (jwk.getCurveName() != null) {
            size = curveBits(jwk.getCurveName().toString());
        }
        return new KeyDescription(
                answeredKeyUrl(asked, key.getId()),
                jwk.getKeyType() == null ? null : jwk.getKeyType().toString(),
                size,
                properties.getRecoveryLevel(),
                properties.getRecoverableDays(),
                Boolean.TRUE.equals(properties.isEnabled()),
                instant(properties.getNotBefore()),
                instant(properties.getExpiresOn()),
                publicKey);
    }

    /**
     * The key identifier Key Vault answered for the key {@code asked}. One that is no key identifier is the vault's
     * fault, not the customer's key URL: an outage, which the audit records as no finding (review rv8 L1; Key Vault
     * has not been seen to). So is one that names another key than the one asked for (bug bash sx1, B3): another
     * vault, another name, or, for a version asked for, another version. Key Vault answers with the key it was asked
     * for, in its own spelling (names and versions compare in any case, as it compares them); what the answer names is
     * taken as the exact key to wrap with next, stored with a wrapped unlock key, and shown, so an answer naming
     * another is not used, whatever vault or host it names (since 2026-12-07: before, it was taken as given, only
     * the wrap's checked against the allow-list).
     */
    static KeyUrl answeredKeyUrl(KeyUrl asked, String keyId) {
        KeyUrl answered;
        try {
            answered = KeyUrl.parse(keyId);
        } catch (ServiceException notAKeyId) {
            throw KeyVaultErrors.answeredNoKeyId(keyId, notAKeyId);
        }
        KeyUrl answeredAsAsked = asked.isVersioned() ? answered : answered.withVersion(null);
        if (!asked.namesSameKeyAs(answeredAsAsked)) {
            throw KeyVaultErrors.answeredAnotherKey(asked, answered);
        }
        return answered;
    }

    /** For a soft-deleted key, say until when it can still be recovered (ERRORS.md). */
    private ServiceException explainDeleted(KeyUrl key, WrappingIdentity identity, ServiceException notFound) {
        try {
            DeletedKey deleted =
                    await(withKeyClient(key, identity, client -> client.getDeletedKey(key.name())), key, identity);
            String until = deleted.getScheduledPurgeDate() == null
                    ? "the end of the vault's retention period"
                    : deleted.getScheduledPurgeDate().toInstant().toString();
            return new ServiceException(
                    ErrorCode.SsemUserErrorKeyDetailsNotFound,
                    "The key " + key + " was deleted"
                            + (deleted.getDeletedOn() == null
                                    ? ""
                                    : " on " + deleted.getDeletedOn().toInstant())
                            + "; it can be recovered until " + until + ", after which it is gone for good.",
                    "kekUrl");
        } catch (RuntimeException notDeleted) {
            // Not deleted, or the lookup failed too (a reset after the 404): the key was not found either way.
            return notFound;
        }
    }

    private static PublicKey rsaPublicKey(BigInteger modulus, BigInteger exponent) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static int curveBits(String curve) {
        return switch (curve) {
            case "P-256", "P-256K" -> 256;
            case "P-384" -> 384;
            case "P-521" -> 521;
            default -> 0;
        };
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
