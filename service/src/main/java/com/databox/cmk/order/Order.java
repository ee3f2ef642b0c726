package com.databox.cmk.order;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.time.Duration;
import java.time.Instant;

/**
 * A Data Box order as the service keeps it. {@code etag} is the store's version of this
 * state; every update is conditional on it.
 *
 * <p>The rules of what may change, and in which stage, are methods here that return an
 * {@link Outcome}; the services carry them out (read, prove with Key Vault, write).
 */
public record Order(
        TenantId tenant,
        OrderName name,
        String location,
        Stage stage,
        OrderIdentity identity,
        KeyProtection protection,
        KeyHealth keyHealth,
        WrappedUnlockKey wrappedUnlockKey,
        KekWait kekWait,
        Instant createdAt,
        Instant stageSince,
        Instant updatedAt,
        String etag) {

    /** A new order before its unlock key is protected and before it is stored. */
    public static Order draft(OrderRef ref, String location, OrderIdentity identity, Instant now) {
        return new Order(
                ref.tenant(),
                ref.name(),
                location,
                Stage.DeviceOrdered,
                identity,
                KeyProtection.MICROSOFT_MANAGED,
                KeyHealth.UNKNOWN,
                null,
                null,
                now,
                now,
                now,
                null);
    }

    /**
     * The order in another location. A customer-managed key is in a Key Vault of the order's cloud, whose
     * location decides which (API.md, requirement 1): the order may not leave that cloud while the key
     * protects it, or no change, validate or audit could use the stored key again.
     */
    public Outcome<Order> relocatedTo(String newLocation) {
        if (protection instanceof KeyProtection.CustomerManaged c
                && AzureCloud.ofLocation(newLocation) != AzureCloud.ofLocation(location)) {
            return Outcome.refused(
                    ErrorCode.InvalidRequest,
                    "The order's customer-managed key " + c.keyUrl() + " is in a Key Vault of the cloud of '" + location
                            + "'; '" + newLocation + "' is in another cloud. Keep a location of the same cloud, or"
                            + " revert to the Microsoft-managed key (encryption/use-microsoft-key) first.",
                    "location");
        }
        return Outcome.allowed(withLocation(newLocation));
    }

    private Order withLocation(String newLocation) {
        return new Order(
                tenant,
                name,
                newLocation,
                stage,
                identity,
                protection,
                keyHealth,
                wrappedUnlockKey,
                kekWait,
                createdAt,
                stageSince,
                updatedAt,
                etag);
    }

    public Order withIdentity(OrderIdentity newIdentity) {
        return new Order(
                tenant,
                name,
                location,
                stage,
                newIdentity,
                protection,
                keyHealth,
                wrappedUnlockKey,
                kekWait,
                createdAt,
                stageSince,
                updatedAt,
                etag);
    }

    /** In {@code newStage} since the write that stores it (a move to the stage it is in keeps its time). */
    public Order withStage(Stage newStage) {
        return new Order(
                tenant,
                name,
                location,
                newStage,
                identity,
                protection,
                keyHealth,
                wrappedUnlockKey,
                kekWait,
                createdAt,
                newStage == stage ? stageSince : null,
                updatedAt,
                etag);
    }

    public Order withKeyHealth(KeyHealth newHealth) {
        return new Order(
                tenant,
                name,
                location,
                stage,
                identity,
                protection,
                newHealth,
                wrappedUnlockKey,
                kekWait,
                createdAt,
                stageSince,
                updatedAt,
                etag);
    }

    public Order withProtection(KeyProtection newProtection, WrappedUnlockKey newWrappedKey) {
        return new Order(
                tenant,
                name,
                location,
                stage,
                identity,
                newProtection,
                keyHealth,
                newWrappedKey,
                kekWait,
                createdAt,
                stageSince,
                updatedAt,
                etag);
    }

    /** Held before {@code wait.target()} until the customer resumes it; null when not held. */
    public Order withKekWait(KekWait wait) {
        return new Order(
                tenant,
                name,
                location,
                stage,
                identity,
                protection,
                keyHealth,
                wrappedUnlockKey,
                wait,
                createdAt,
                stageSince,
                updatedAt,
                etag);
    }

    /** {@code WaitingForCustomerActionForKek} while held for the key, {@code None} otherwise. */
    public String stageStatus() {
        return kekWait == null ? "None" : KekWait.STAGE_STATUS;
    }

    /** As the store wrote it: the time of the write and the store's new version. */
    public Order stored(Instant at, String newEtag) {
        return new Order(
                tenant,
                name,
                location,
                stage,
                identity,
                protection,
                keyHealth,
                wrappedUnlockKey,
                kekWait,
                createdAt,
                stageSince == null ? at : stageSince,
                at,
                newEtag);
    }

    /** The order's tenant and name: how it is found again. */
    public OrderRef ref() {
        return new OrderRef(tenant, name);
    }

    /** The key an event of this order names: the customer's, or the Microsoft-managed key that wraps the unlock key. */
    public String eventKeyId() {
        return protection instanceof KeyProtection.CustomerManaged c
                ? c.keyUrl().keyId()
                : wrappedUnlockKey.keyUrl().keyId();
    }

    public boolean isCustomerManaged() {
        return protection instanceof KeyProtection.CustomerManaged;
    }

    /** {@code If-Match}: absent or {@code *} matches any version; otherwise it must name this order's ETag. */
    public boolean matches(IfMatch ifMatch) {
        return ifMatch.matches(etag);
    }

    /**
     * Orders move forward only; any active order can be cancelled or aborted; a terminal one never
     * moves. An order waiting for the customer's key moves only to the stage it waits for (whose
     * checks then run again), to Cancelled or to Aborted: a move past it would skip the unlock
     * key's proof.
     */
    public Outcome<Order> moveTo(Stage next) {
        if (!stage.canMoveTo(next)) {
            return Outcome.refused(
                    ErrorCode.InvalidStageTransition,
                    "The order '" + name + "' is in stage " + stage + " and cannot move to " + next + ".",
                    "stage");
        }
        if (kekWait != null && next != kekWait.target() && next != Stage.Cancelled && next != Stage.Aborted) {
            return Outcome.refused(
                    ErrorCode.InvalidStageTransition,
                    "The order '" + name + "' waits for the customer's action on its key ("
                            + KekWait.STAGE_STATUS + ") and cannot move to " + next + ": fix the key and mitigate"
                            + " with Resume, or cancel the order.",
                    "stage");
        }
        return Outcome.allowed(withStage(next).withKekWait(null));
    }

    /**
     * Already in {@code stage}, and waiting for nothing: a move there again (a client's retry after it
     * lost the answer to its move) is done already, and changes nothing.
     */
    public boolean isAlreadyIn(Stage stage) {
        return this.stage == stage && kekWait == null;
    }

    /**
     * Already protected as {@code protection} and last found healthy: a change to it (a client's retry after
     * it lost the answer, or asking for what the order has) has nothing to write once proven again.
     */
    public boolean isAlreadyProtectedBy(KeyProtection protection) {
        return protection.equals(this.protection) && keyHealth.status() == KeyHealth.Status.Healthy;
    }

    /**
     * Whether {@code request} names the customer-managed key that protects the order, as the order's answer shows
     * it: the version answered in {@code kekUrl}, {@code autoRotation} as answered, the same identity, and the
     * vault's resource ID, when given, the order's in any case (one left out is kept, as {@link #keyChange} keeps it for the
     * same vault). The URL names the stored version in any spelling of it ({@link KeyUrl#namesSameKeyAs}). It is the protection a change of key to {@code request} would write ({@link
     * #isAlreadyProtectedBy}); nothing is asked of Key Vault here, so a versionless URL, whose version only Key
     * Vault tells, names no key the order has.
     */
    public boolean isProtectedAsRequested(KeyEncryptionKeyRequest request) {
        if (!(protection instanceof KeyProtection.CustomerManaged current)) {
            return false;
        }
        if (!(request.kekUrl().key() instanceof Outcome.Allowed<KeyUrl>(KeyUrl requested))) {
            return false;
        }
        KeyEncryptionKeyRequest vaultKept =
                request.vault() == null || request.vault().namesSameVaultAs(current.vault())
                        ? new KeyEncryptionKeyRequest(
                                request.kekUrl(), current.vault(), request.identity(), request.followsNewVersions())
                        : request;
        // The stored version however the request spells it (its name or version in another case): Key Vault's own.
        KeyUrl version = requested.namesSameKeyAs(current.keyUrl()) ? current.keyUrl() : requested;
        return vaultKept.protectionBy(requested, version).equals(current);
    }

    /** The start of Data Copy is when the device must be unlocked: the key must be proven to unwrap then. */
    public static boolean needsUnlockKeyProof(Stage next) {
        return next == Stage.DataCopy;
    }

    /** Encryption changes in every stage but the terminal ones. */
    public Outcome<Order> encryptionMayChange() {
        if (stage.isTerminal()) {
            return Outcome.refused(
                    ErrorCode.OrderInTerminalStage,
                    "The order '" + name + "' is in the terminal " + "stage " + stage
                            + "; its encryption can no longer change.",
                    "stage");
        }
        return Outcome.allowed(this);
    }

    /** Change key and change identity start from a customer-managed key. */
    public Outcome<KeyProtection.CustomerManaged> customerManagedKey() {
        if (protection instanceof KeyProtection.CustomerManaged customer) {
            return Outcome.allowed(customer);
        }
        return Outcome.refused(
                ErrorCode.InvalidRequest,
                "The order '" + name + "' uses the Microsoft-managed key; " + "enable a customer-managed key first.",
                "keyEncryptionKey");
    }

    /**
     * Change key: another version, key or vault, reached through the same identity. The vault's
     * resource ID, when given, must name the key URL's vault; when omitted it is kept for the same
     * vault, and required when the key moves to another vault whose ID the order knew before
     * (issue 11, item 6).
     */
    /** @param followsNewVersions as {@link KeyEncryptionKeyRequest#followsNewVersions()} */
    public Outcome<KeyEncryptionKeyRequest> keyChange(
            RequestedKeyUrl kekUrl, boolean followsNewVersions, VaultResourceId vault) {
        if (!(protection instanceof KeyProtection.CustomerManaged current)) {
            return customerManagedKey().map(c -> null);
        }
        KeyUrl key = kekUrl.orElseThrow();
        if (vault != null) {
            return vaultResourceIdFor(key, vault)
                    .map(v -> new KeyEncryptionKeyRequest(kekUrl, v, current.keyIdentity(), followsNewVersions));
        }
        if (key.sameVaultAs(current.keyUrl()) || current.vault() == null) {
            VaultResourceId kept = key.sameVaultAs(current.keyUrl()) ? current.vault() : null;
            return Outcome.allowed(
                    new KeyEncryptionKeyRequest(kekUrl, kept, current.keyIdentity(), followsNewVersions));
        }
        return Outcome.refused(
                ErrorCode.InvalidRequest,
                "The key " + key + " is in another vault than the order's "
                        + "current key; give that vault's 'kekVaultResourceID' too.",
                "kekVaultResourceID");
    }

    /** A vault resource ID given with a key URL must name the URL's vault (when the host tells the vault's name). */
    public static Outcome<VaultResourceId> vaultResourceIdFor(KeyUrl key, VaultResourceId vault) {
        if (vault == null || key.vaultName() == null || key.vaultName().equalsIgnoreCase(vault.name())) {
            return Outcome.allowed(vault);
        }
        return Outcome.refused(
                ErrorCode.InvalidRequest,
                "'kekVaultResourceID' names the vault '" + vault.name() + "' but the key URL is in the vault '"
                        + key.vaultName() + "'.",
                "kekVaultResourceID");
    }

    /**
     * The key reached through another identity ({@code encryption/change-identity}); the order's managed
     * identities themselves change with {@link #managedIdentitiesChangedTo}. Change identity keeps the key and its
     * vault; an order that follows new versions ({@code autoRotation}) keeps following them, so the versionless URL
     * is asked for again.
     */
    public Outcome<KeyEncryptionKeyRequest> keyIdentityChange(KeyIdentity newIdentity) {
        return customerManagedKey()
                .map(current -> new KeyEncryptionKeyRequest(
                        current.autoRotation() ? current.versionless() : current.keyUrl(),
                        current.vault(),
                        newIdentity));
    }

    /** As {@link #keyIdentityChange}, proven with the stored key version even when the order follows new versions. */
    public Outcome<KeyEncryptionKeyRequest> keyIdentityChangeAtStoredVersion(KeyIdentity newIdentity) {
        return customerManagedKey()
                .map(current -> new KeyEncryptionKeyRequest(current.keyUrl(), current.vault(), newIdentity));
    }

    /**
     * The key's newest version, through the same identity and in the same vault: where an order that follows new
     * versions moves when its stored version no longer serves (the audit's rotation, a resume before Data Copy).
     */
    public Outcome<KeyEncryptionKeyRequest> newestKeyVersion() {
        return customerManagedKey()
                .map(current ->
                        new KeyEncryptionKeyRequest(current.versionless(), current.vault(), current.keyIdentity()));
    }

    /** Whether the order follows its key's new versions. */
    public boolean followsNewKeyVersions() {
        return protection instanceof KeyProtection.CustomerManaged customer && customer.autoRotation();
    }

    /** The identity whose token reaches the key that protects the unlock key now. */
    public Outcome<WrappingIdentity> currentWrappingIdentity() {
        return switch (protection) {
            case KeyProtection.MicrosoftManaged m -> Outcome.allowed(WrappingIdentity.SERVICE);
            case KeyProtection.CustomerManaged c ->
                switch (c.keyIdentity()) {
                    case KeyIdentity.SystemAssigned s ->
                        identity.systemAssigned() == null
                                ? Outcome.refused(
                                        ErrorCode.SsemUserErrorSystemAssignedIdentityAbsent,
                                        "The order '" + name + "' has no system-assigned identity to reach its key "
                                                + c.keyUrl() + ".",
                                        "identity")
                                : Outcome.allowed(systemAssignedWrapping());
                    case KeyIdentity.UserAssigned u -> Outcome.allowed(userAssignedWrapping(u));
                };
        };
    }

    /**
     * The identity that would reach a key as {@code keyIdentity} names it: the order must have
     * that identity (whether the directory still has a user-assigned one is asked separately).
     */
    public Outcome<WrappingIdentity> wrappingIdentityFor(KeyIdentity keyIdentity) {
        return keyState().wrappingIdentityFor(keyIdentity);
    }

    /** What the permission audit reads of the order (as a store that reads less gives it). */
    public OrderKeyState keyState() {
        return new OrderKeyState(tenant, name, stage, identity, protection, keyHealth, etag);
    }

    /** The identity's own token, or, with a federated client ID, that application's token in the vault's tenant. */
    static WrappingIdentity userAssignedWrapping(KeyIdentity.UserAssigned user) {
        WrappingIdentity.ManagedIdentity managed = new WrappingIdentity.ManagedIdentity(user.id());
        return user.federated()
                ? new WrappingIdentity.FederatedApplication(
                        managed, user.federatedClientId().value())
                : managed;
    }

    /** Messages name it as the order's, never by the resource ID of the identity behind it (issue 12). */
    private WrappingIdentity systemAssignedWrapping() {
        return systemAssignedWrapping(identity.systemAssigned());
    }

    static WrappingIdentity systemAssignedWrapping(SystemAssignedIdentity system) {
        return new WrappingIdentity.ManagedIdentity(
                system.resourceId(),
                true,
                "the order's system-assigned identity (principal ID " + system.principalId() + ")");
    }

    /**
     * A user-assigned identity may join an order of {@code tenant} only if it lives in that tenant
     * and is not one the service made as some order's system-assigned identity (issue 12).
     */
    public static Outcome<UserAssignedIdentity> attachable(UserAssignedIdentity identity, TenantId tenant) {
        if (identity.serviceCreated()) {
            return Outcome.refused(
                    ErrorCode.LinkedAuthorizationFailed,
                    "The identity " + identity.resourceId().value()
                            + " is managed by the service and cannot be attached as a user-assigned identity.",
                    "identity.userAssignedIdentities");
        }
        if (!TenantId.isWellFormed(identity.tenantId()) || !tenant.equals(new TenantId(identity.tenantId()))) {
            return Outcome.refused(
                    ErrorCode.LinkedAuthorizationFailed,
                    "The identity " + identity.resourceId().value() + " is not in the caller's tenant.",
                    "identity.userAssignedIdentities");
        }
        return Outcome.allowed(identity);
    }

    /**
     * The order's managed identities set to {@code newIdentity} ({@code PATCH …/identity}); which of them reaches
     * the key changes with {@link #keyIdentityChange}.
     * A user-assigned identity the customer-managed key is reached through may not be detached.
     * The system-assigned one may be removed and re-created ({@code None} then {@code SystemAssigned}):
     * that is the documented remedy after a tenant move (seed, "Troubleshoot errors"). The key
     * stays as it is and its health becomes {@code AccessLost} until a change or {@code validate}
     * proves access through the new principal; the wrapped unlock key is untouched, so any
     * identity later granted UnwrapKey on the same key version reaches it again.
     */
    public Outcome<Order> managedIdentitiesChangedTo(OrderIdentity newIdentity, Instant now) {
        if (protection instanceof KeyProtection.CustomerManaged c) {
            switch (c.keyIdentity()) {
                case KeyIdentity.SystemAssigned s
                when newIdentity.systemAssigned() == null -> {
                    return Outcome.allowed(withIdentity(newIdentity)
                            .withKeyHealth(KeyHealth.accessLost(
                                    ErrorCode.SsemUserErrorSystemAssignedIdentityAbsent,
                                    "The customer-managed key " + c.keyUrl()
                                            + " is used through the system-assigned identity, which the order no longer has; "
                                            + "set the identity type to SystemAssigned again and grant the new identity Get, "
                                            + "WrapKey and UnwrapKey.",
                                    now)));
                }
                case KeyIdentity.SystemAssigned s
                when identity.systemAssigned() == null
                        || !identity.systemAssigned()
                                .principalId()
                                .equals(newIdentity.systemAssigned().principalId()) -> {
                    return Outcome.allowed(withIdentity(newIdentity)
                            .withKeyHealth(KeyHealth.accessLost(
                                    ErrorCode.SsemUserErrorSystemAssignedIdentityAbsent,
                                    "The order has a new system-assigned "
                                            + "identity (principal "
                                            + newIdentity.systemAssigned().principalId() + "); grant it "
                                            + "Get, WrapKey and UnwrapKey on the key " + c.keyUrl()
                                            + ", then validate.",
                                    now)));
                }
                case KeyIdentity.UserAssigned u
                when newIdentity.findUserAssigned(u.id()).isEmpty() -> {
                    return Outcome.refused(
                            ErrorCode.SsemUserErrorUserAssignedIdentityAbsent,
                            "The customer-managed key "
                                    + c.keyUrl() + " is used through the user-assigned identity " + u.id()
                                    + ", which cannot be detached; change the key's identity first.",
                            "identity.userAssignedIdentities");
                }
                default -> {}
            }
        }
        return Outcome.allowed(withIdentity(newIdentity));
    }

    /** Only a non-terminal order held for its key can be resumed. */
    public Outcome<KekWait> waitingForKek() {
        if (kekWait == null || stage.isTerminal()) {
            return Outcome.refused(
                    ErrorCode.OrderNotWaitingForCustomerAction,
                    "The order '" + name + "' is in stage " + stage
                            + " and is not waiting for a customer action on its key.",
                    "customerResolutionCode");
        }
        return Outcome.allowed(kekWait);
    }

    /**
     * Where the order is held: its stage stays, the wait is recorded and the key health says why. Held again
     * before the same stage, it keeps the time it has waited since, and its key health the time of the
     * finding when the finding is the same: a check that fails as before changes nothing (the order is then
     * equal to this one, and nothing need be written).
     */
    public Order heldForKek(Stage target, ErrorCode code, String message, String resolution, Instant now) {
        Instant since = kekWait != null && kekWait.target() == target ? kekWait.since() : now;
        Order held = withKekWait(new KekWait(target, code, message, since, resolution));
        if (!isCustomerManaged()) {
            return held;
        }
        KeyHealth finding = KeyHealth.accessLost(code, message, now);
        return finding.sameFindingAs(keyHealth) ? held : held.withKeyHealth(finding);
    }

    /** How the key protection reads in the order's history: never key material. */
    public static String describe(KeyProtection protection) {
        return switch (protection) {
            case KeyProtection.MicrosoftManaged m -> "MicrosoftManaged";
            case KeyProtection.CustomerManaged c ->
                c.keyUrl() + " as "
                        + switch (c.keyIdentity()) {
                            case KeyIdentity.SystemAssigned s -> "SystemAssigned";
                            case KeyIdentity.UserAssigned u ->
                                u.id().value() + (u.federated() ? " via application " + u.federatedClientId() : "");
                        }
                        + (c.autoRotation() ? " (autoRotation)" : "");
        };
    }

    /**
     * Whether the order still needs its identities: while it is active, and for {@code retention}
     * after its last change once it is finished (its device unlock key can still be revealed).
     */
    public boolean holdsIdentitiesAt(Instant now, Duration retention) {
        return holdsIdentities(stage, updatedAt, now, retention);
    }

    /** {@link #holdsIdentitiesAt} of an order at {@code stage}, last changed at {@code updatedAt}. */
    public static boolean holdsIdentities(Stage stage, Instant updatedAt, Instant now, Duration retention) {
        return !stage.isTerminal()
                || updatedAt == null
                || updatedAt.plus(retention).isAfter(now);
    }
}
