package com.databox.cmk.encryption;

import static com.databox.cmk.testing.inmemory.InMemoryStack.ACTOR;
import static com.databox.cmk.testing.inmemory.InMemoryStack.CALLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.NewOrder;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.Stage;
import com.databox.cmk.order.StaleOrderException;
import com.databox.cmk.order.VaultResourceId;
import com.databox.cmk.testing.inmemory.InMemoryIdentityDirectory;
import com.databox.cmk.testing.inmemory.InMemoryKeyVault;
import com.databox.cmk.testing.inmemory.InMemoryKeyVault.Permission;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.testing.inmemory.InMemoryStack.CustomerKey;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The decisions of {@link EncryptionService} (enable, change key, change identity, revert,
 * validate) on in-memory ports, with real RSA wraps: each change is proven or changes nothing.
 */
class EncryptionServiceUnitTest {
    private final InMemoryStack stack = new InMemoryStack();
    private final EncryptionService encryption = stack.encryption();
    private final CustomerKey key = stack.customerKey();

    private KeyEncryptionKeyRequest asUserAssigned(String kekUrl) {
        return new KeyEncryptionKeyRequest(
                RequestedKeyUrl.read(kekUrl), null, new KeyIdentity.UserAssigned(key.identityId()));
    }

    private static KeyProtection.CustomerManaged customer(Order order) {
        return (KeyProtection.CustomerManaged) order.protection();
    }

    private static ErrorCode codeOf(Throwable e) {
        return ((ServiceException) e).code();
    }

    @Test
    void enableWrapsTheSameUnlockKeyWithTheCustomersKeyVersion() {
        Order order = stack.orderWithIdentityOf(key);
        String password = stack.revealPassword(order.ref());
        Order enabled = encryption.enable(order.ref(), asUserAssigned(key.keyUrl()), IfMatch.ABSENT, ACTOR);
        assertThat(customer(enabled).keyUrl().keyId()).isEqualTo(key.keyUrl());
        assertThat(customer(enabled).autoRotation()).isFalse();
        assertThat(enabled.wrappedUnlockKey().keyUrl().keyId()).isEqualTo(key.keyUrl());
        assertThat(enabled.keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
        assertThat(stack.revealPassword(order.ref())).isEqualTo(password);
    }

    @Test
    void enableWithAVersionlessUrlPinsTheCurrentVersionAndFollowsNewOnes() {
        Order order = stack.orderWithIdentityOf(key);
        Order enabled = encryption.enable(order.ref(), asUserAssigned(key.versionlessUrl()), IfMatch.ABSENT, ACTOR);
        assertThat(customer(enabled).keyUrl().keyId()).isEqualTo(key.keyUrl());
        assertThat(customer(enabled).autoRotation()).isTrue();
    }

    @Test
    void enableKeepsTheVaultResourceIdGiven() {
        Order order = stack.orderWithIdentityOf(key);
        VaultResourceId vault = new VaultResourceId(key.vaultResourceId());
        Order enabled = encryption.enable(
                order.ref(),
                new KeyEncryptionKeyRequest(
                        RequestedKeyUrl.read(key.keyUrl()), vault, new KeyIdentity.UserAssigned(key.identityId())),
                IfMatch.ABSENT,
                ACTOR);
        assertThat(customer(enabled).vault()).isEqualTo(vault);
    }

    @Test
    void enableRecordsTheChangeInTheHistoryWithoutKeyMaterial() {
        Order order = stack.orderWithIdentityOf(key);
        encryption.enable(order.ref(), asUserAssigned(key.keyUrl()), IfMatch.ABSENT, ACTOR);
        assertThat(stack.orders.history(order.ref()).getLast().summary())
                .isEqualTo("MicrosoftManaged -> " + key.keyUrl() + " as "
                        + key.identity().resourceId());
    }

    @Test
    void refusesAKeyUnder2048BitsAndChangesNothing() {
        Order order = stack.orderWithIdentityOf(key);
        String weak =
                stack.keyVault.addVersion(key.vaultUrl(), "weak", "RSA", 1024).keyId();
        assertThatThrownBy(() -> encryption.enable(order.ref(), asUserAssigned(weak), IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyTypeNotSupported));
        assertThat(stack.stored(order.ref())).isEqualTo(order);
    }

    @Test
    void refusesAVaultWithoutPurgeProtection() {
        Order order = stack.orderWithIdentityOf(key);
        stack.keyVault.setRecoveryLevel(key.vaultUrl(), "Recoverable+Purgeable");
        assertThatThrownBy(() -> encryption.enable(order.ref(), asUserAssigned(key.keyUrl()), IfMatch.ABSENT, ACTOR))
                .satisfies(e ->
                        assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorSoftDeleteAndPurgeProtectionNotEnabled));
    }

    @Test
    void refusesADisabledKeyVersion() {
        Order order = stack.orderWithIdentityOf(key);
        key.version().disable();
        assertThatThrownBy(() -> encryption.enable(order.ref(), asUserAssigned(key.keyUrl()), IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyDisabled));
    }

    @Test
    void refusesAnExpiredKeyVersion() {
        Order order = stack.orderWithIdentityOf(key);
        key.version().expire(stack.clock.instant().minus(Duration.ofMinutes(1)));
        assertThatThrownBy(() -> encryption.enable(order.ref(), asUserAssigned(key.keyUrl()), IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyExpired));
    }

    @Test
    void refusesAnIdentityThatCannotUnwrapAndNamesThePermission() {
        Order order = stack.orderWithIdentityOf(key);
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.UnwrapKey);
        assertThatThrownBy(() -> encryption.enable(order.ref(), asUserAssigned(key.keyUrl()), IfMatch.ABSENT, ACTOR))
                .satisfies(e -> {
                    assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException);
                    assertThat(e).hasMessageContaining("unwrapKey");
                });
        assertThat(stack.stored(order.ref())).isEqualTo(order);
    }

    @Test
    void refusesAUserAssignedIdentityThatIsNotAttached() {
        Order order = stack.microsoftManagedOrder();
        assertThatThrownBy(() -> encryption.enable(order.ref(), asUserAssigned(key.keyUrl()), IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorUserAssignedIdentityAbsent));
    }

    @Test
    void refusesAnAttachedIdentityTheDirectoryNoLongerHas() {
        Order order = stack.orderWithIdentityOf(key);
        stack.identities.delete(key.identity().resourceId());
        assertThatThrownBy(() -> encryption.enable(order.ref(), asUserAssigned(key.keyUrl()), IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorKekUserIdentityNotFound));
    }

    @Test
    void refusesAMalformedUrlBeforeAnyVaultCall() {
        Order order = stack.orderWithIdentityOf(key);
        int calls = stack.keyVault.calls();
        assertThatThrownBy(() -> encryption.enable(
                        order.ref(),
                        asUserAssigned("https://contoso.vault.azure.net/secrets/x"),
                        IfMatch.ABSENT,
                        ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorInvalidKeyVaultUrl));
        assertThat(stack.keyVault.calls()).isEqualTo(calls);
    }

    @Test
    void refusesAHostOutsideTheAllowListBeforeAnyVaultCall() {
        Order order = stack.orderWithIdentityOf(key);
        int calls = stack.keyVault.calls();
        assertThatThrownBy(() -> encryption.enable(
                        order.ref(), asUserAssigned("https://evil.example.com/keys/k"), IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorKeyVaultUrlInvalidHost));
        assertThat(stack.keyVault.calls()).isEqualTo(calls);
    }

    /**
     * A request's key URL is read once, with the request; each way it is no usable key URL is refused as the URL's
     * own check words it (code, message, target), by enable and change key alike, and nothing changes.
     */
    @Test
    void eachUnusableKeyUrlIsRefusedInItsOwnWordsByEnableAndChangeKey() {
        Order microsoftManaged = stack.orderWithIdentityOf(key);
        Order customerManaged = stack.customerManagedOrder(key, key.keyUrl());
        String[][] refusals = {
            {"not-a-url", "SsemUserErrorInvalidKeyVaultUrl", "'not-a-url' is not a Key Vault key URL."},
            {
                "not a url",
                "SsemUserErrorInvalidKeyVaultUrl",
                "The key URL 'not a url' must not contain spaces or control characters."
            },
            {
                "http://contoso.vault.azure.net/keys/k",
                "SsemUserErrorKeyVaultUrlWithInvalidScheme",
                "The key URL 'http://contoso.vault.azure.net/keys/k' does not use HTTPS."
            },
            {
                "https://contoso.vault.azure.net/keys/k/versions",
                "SsemUserErrorInvalidKeyVaultUrl",
                "'https://contoso.vault.azure.net/keys/k/versions' is not a Key Vault key URL: 'versions' is no key"
                        + " version; copy the key identifier (https://{vault}/keys/{name}/{version}), or leave the"
                        + " version out to follow the key's newest one."
            },
            {
                "https://EVIL.example.com/keys/k",
                "SsemUserErrorKeyVaultUrlInvalidHost",
                "The host 'evil.example.com' of the key URL is not an allowed Key Vault host."
            }
        };
        for (String[] refusal : refusals) {
            List<Runnable> requests = List.of(
                    () -> encryption.enable(microsoftManaged.ref(), asUserAssigned(refusal[0]), IfMatch.ABSENT, ACTOR),
                    () -> encryption.changeKey(
                            customerManaged.ref(),
                            RequestedKeyUrl.read(refusal[0]),
                            false,
                            null,
                            IfMatch.ABSENT,
                            ACTOR));
            for (Runnable request : requests) {
                assertThatThrownBy(request::run).as(refusal[0]).isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.valueOf(refusal[1]));
                    assertThat(e.getMessage()).isEqualTo(refusal[2]);
                    assertThat(e.target()).isEqualTo("kekUrl");
                });
            }
        }
        assertThat(stack.stored(microsoftManaged.ref())).isEqualTo(microsoftManaged);
        assertThat(stack.stored(customerManaged.ref())).isEqualTo(customerManaged);
    }

    /**
     * The order's own refusals come before its key URL's, as when the URL was read by the operation: a stale
     * If-Match, an order that can no longer change.
     */
    @Test
    void anOrdersOwnRefusalsComeBeforeItsKeyUrls() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        String stale = "W/\"datetime'2020-01-01T00%3A00%3A00Z'\"";
        assertThatThrownBy(() -> encryption.changeKey(
                        order.ref(), RequestedKeyUrl.read("not a url"), false, null, IfMatch.of(stale), ACTOR))
                .isInstanceOf(StaleOrderException.class);
        assertThatThrownBy(() -> encryption.enable(order.ref(), asUserAssigned("not a url"), IfMatch.of(stale), ACTOR))
                .isInstanceOf(StaleOrderException.class);
        assertThatThrownBy(
                        () -> encryption.validate(order.ref(), asUserAssigned("not a url"), IfMatch.of(stale), ACTOR))
                .isInstanceOf(StaleOrderException.class);

        stack.orderService().moveStage(order.ref(), Stage.Completed, IfMatch.ABSENT, ACTOR);
        assertThatThrownBy(() -> encryption.changeKey(
                        order.ref(), RequestedKeyUrl.read("not a url"), false, null, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.OrderInTerminalStage));
        assertThatThrownBy(() -> encryption.enable(order.ref(), asUserAssigned("not a url"), IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.OrderInTerminalStage));
    }

    /** A host outside the allow-list, proposed to validate, is its key URL's failed check, the URL shown as given. */
    @Test
    void aProposedHostOutsideTheAllowListIsAFailedCheckShownAsGiven() {
        Order order = stack.orderWithIdentityOf(key);
        ValidationReport report = encryption.validate(
                order.ref(), asUserAssigned("https://EVIL.example.com:443/keys/k/"), IfMatch.ABSENT, ACTOR);
        assertThat(report.valid()).isFalse();
        assertThat(report.kekUrl()).isEqualTo("https://EVIL.example.com:443/keys/k/");
        assertThat(report.checks().getFirst().errorCode()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultUrlInvalidHost);
        assertThat(report.checks().getFirst().message())
                .isEqualTo("The host 'evil.example.com' of the key URL is not an allowed Key Vault host.");
        assertThat(stack.stored(order.ref())).isEqualTo(order);
    }

    @Test
    void refusesAnyChangeOfAFinishedOrder() {
        Order order = stack.orderWithIdentityOf(key);
        stack.orderService().moveStage(order.ref(), Stage.Completed, IfMatch.ABSENT, ACTOR);
        assertThatThrownBy(() -> encryption.enable(order.ref(), asUserAssigned(key.keyUrl()), IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.OrderInTerminalStage));
    }

    @Test
    void refusesAStaleIfMatch() {
        Order order = stack.orderWithIdentityOf(key);
        stack.orderService().moveStage(order.ref(), Stage.DevicePrepared, IfMatch.ABSENT, ACTOR);
        assertThatThrownBy(() ->
                        encryption.enable(order.ref(), asUserAssigned(key.keyUrl()), IfMatch.of(order.etag()), ACTOR))
                .isInstanceOf(StaleOrderException.class);
    }

    @Test
    void aKeyVaultOutageIsKeyVaultUnavailableAndChangesNothing() {
        Order order = stack.orderWithIdentityOf(key);
        stack.keyVault.goDown();
        assertThatThrownBy(() -> encryption.enable(order.ref(), asUserAssigned(key.keyUrl()), IfMatch.ABSENT, ACTOR))
                .satisfies(e -> {
                    assertThat(codeOf(e)).isEqualTo(ErrorCode.KeyVaultUnavailable);
                    assertThat(((ServiceException) e).retryAfter()).isNotNull();
                });
        stack.keyVault.recover();
        assertThat(stack.stored(order.ref())).isEqualTo(order);
    }

    @Test
    void changeKeyMovesToANewVersionThroughTheSameIdentity() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        String password = stack.revealPassword(order.ref());
        String v2 = stack.keyVault.addVersion(key.vaultUrl(), key.keyName()).keyId();
        Order changed = encryption.changeKey(order.ref(), RequestedKeyUrl.read(v2), false, null, IfMatch.ABSENT, ACTOR);
        assertThat(customer(changed).keyUrl().keyId()).isEqualTo(v2);
        assertThat(customer(changed).keyIdentity()).isEqualTo(new KeyIdentity.UserAssigned(key.identityId()));
        assertThat(stack.revealPassword(order.ref())).isEqualTo(password);
    }

    @Test
    void changeKeyIsRefusedWhileTheMicrosoftKeyProtects() {
        Order order = stack.orderWithIdentityOf(key);
        assertThatThrownBy(() -> encryption.changeKey(
                        order.ref(), RequestedKeyUrl.read(key.keyUrl()), false, null, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.InvalidRequest));
    }

    @Test
    void changeKeyUnwrapsWithTheOldKeyFirst() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        String v2 = stack.keyVault.addVersion(key.vaultUrl(), key.keyName()).keyId();
        key.version().disable();
        assertThatThrownBy(() ->
                        encryption.changeKey(order.ref(), RequestedKeyUrl.read(v2), false, null, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyDisabled));
        assertThat(stack.stored(order.ref())).isEqualTo(order);
    }

    @Test
    void changeIdentityToSystemAssignedProvesItCanReachTheKey() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        Order withSystem = stack.orderService()
                .updateIdentity(
                        order.ref(), new IdentityUpdate(true, true, Set.of(), Set.of()), IfMatch.ABSENT, CALLER);
        WrappingIdentity system = new WrappingIdentity.ManagedIdentity(
                withSystem.identity().systemAssigned().resourceId());
        assertThatThrownBy(() ->
                        encryption.changeIdentity(order.ref(), KeyIdentity.SYSTEM_ASSIGNED, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException));
        stack.keyVault.grantAll(key.vaultUrl(), system);
        Order changed = encryption.changeIdentity(order.ref(), KeyIdentity.SYSTEM_ASSIGNED, IfMatch.ABSENT, ACTOR);
        assertThat(customer(changed).keyIdentity()).isEqualTo(KeyIdentity.SYSTEM_ASSIGNED);
        assertThat(customer(changed).keyUrl().keyId()).isEqualTo(key.keyUrl());
    }

    @Test
    void changeIdentityWithAutoRotationMovesToTheNewestVersion() {
        Order order = stack.customerManagedOrder(key, key.versionlessUrl());
        String v2 = stack.keyVault.addVersion(key.vaultUrl(), key.keyName()).keyId();
        Order withSystem = stack.orderService()
                .updateIdentity(
                        order.ref(), new IdentityUpdate(true, true, Set.of(), Set.of()), IfMatch.ABSENT, CALLER);
        stack.keyVault.grantAll(
                key.vaultUrl(),
                new WrappingIdentity.ManagedIdentity(
                        withSystem.identity().systemAssigned().resourceId()));
        Order changed = encryption.changeIdentity(order.ref(), KeyIdentity.SYSTEM_ASSIGNED, IfMatch.ABSENT, ACTOR);
        assertThat(customer(changed).keyUrl().keyId()).isEqualTo(v2);
        assertThat(customer(changed).autoRotation()).isTrue();
    }

    @Test
    void revertingToTheMicrosoftKeyKeepsTheUnlockKey() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        String password = stack.revealPassword(order.ref());
        Order reverted = encryption.useMicrosoftKey(order.ref(), IfMatch.ABSENT, ACTOR);
        assertThat(reverted.protection()).isEqualTo(KeyProtection.MICROSOFT_MANAGED);
        assertThat(reverted.wrappedUnlockKey().keyUrl().keyId()).isEqualTo(stack.microsoftKeyUrl);
        assertThat(stack.revealPassword(order.ref())).isEqualTo(password);
    }

    @Test
    void revertingNeedsTheCustomersKeyToUnwrap() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.UnwrapKey);
        assertThatThrownBy(() -> encryption.useMicrosoftKey(order.ref(), IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException));
        assertThat(stack.stored(order.ref())).isEqualTo(order);
    }

    /**
     * validate's If-Match is read as every route's: {@code *}, the order's own ETag and a list naming it pass; a
     * stale one refuses a proposal as well, before anything is checked or written.
     */
    @Test
    void validateReadsIfMatchAsEveryRoute() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        String stale = "W/\"datetime'2020-01-01T00%3A00%3A00Z'\"";

        assertThatThrownBy(() -> encryption.validate(order.ref(), null, IfMatch.of(stale), ACTOR))
                .isInstanceOf(StaleOrderException.class);
        assertThatThrownBy(
                        () -> encryption.validate(order.ref(), asUserAssigned(key.keyUrl()), IfMatch.of(stale), ACTOR))
                .isInstanceOf(StaleOrderException.class);
        assertThat(stack.stored(order.ref())).isEqualTo(order);

        assertThat(encryption
                        .validate(order.ref(), null, IfMatch.of("*"), ACTOR)
                        .valid())
                .isTrue();
        String current = stack.stored(order.ref()).etag();
        assertThat(encryption
                        .validate(order.ref(), null, IfMatch.of(stale + ", " + current), ACTOR)
                        .valid())
                .isTrue();
    }

    /** Requirement 6, as enable checks it: validate must not call valid what enable refuses. */
    @Test
    void validatingAProposalWhoseVaultIdNamesAnotherVaultFailsItsKeyUrlCheck() {
        Order order = stack.orderWithIdentityOf(key);
        KeyEncryptionKeyRequest proposal = new KeyEncryptionKeyRequest(
                RequestedKeyUrl.read(key.keyUrl()),
                new VaultResourceId(key.vaultResourceId().replaceAll("/vaults/[^/]+$", "/vaults/another")),
                new KeyIdentity.UserAssigned(key.identityId()));

        ValidationReport report = encryption.validate(order.ref(), proposal, IfMatch.ABSENT, ACTOR);

        assertThat(report.valid()).isFalse();
        assertThat(report.firstFailure()).get().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.InvalidRequest);
            assertThat(e.target()).isEqualTo("kekVaultResourceID");
        });
        assertThatThrownBy(() -> encryption.enable(order.ref(), proposal, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.InvalidRequest));
        assertThat(encryption
                        .validate(
                                order.ref(),
                                new KeyEncryptionKeyRequest(
                                        RequestedKeyUrl.read(key.keyUrl()),
                                        new VaultResourceId(key.vaultResourceId()),
                                        new KeyIdentity.UserAssigned(key.identityId())),
                                IfMatch.ABSENT,
                                ACTOR)
                        .valid())
                .isTrue();
    }

    @Test
    void validatingTheCurrentKeyKeepsTheHealthyFindingOfItsCreation() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        Instant created = stack.clock.instant();
        stack.advance(Duration.ofHours(1));
        ValidationReport report = encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR);
        assertThat(report.valid()).isTrue();
        // Nothing new was found: the finding and its time stay, nothing is written (issue 15, item 6).
        assertThat(stack.stored(order.ref()).keyHealth()).isEqualTo(KeyHealth.healthy(created));
    }

    @Test
    void validatingALostKeyRecordsAccessLostWithItsCode() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.WrapKey);
        ValidationReport report = encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR);
        assertThat(report.valid()).isFalse();
        assertThat(report.checks())
                .filteredOn(c -> c.name().equals(KeyRequirements.PERMISSION_WRAP))
                .singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(Check.Status.Failed));
        // UnwrapKey is still proven, with a wrap made with the public key.
        assertThat(report.checks())
                .filteredOn(c -> c.name().equals(KeyRequirements.PERMISSION_UNWRAP))
                .singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(Check.Status.Passed));
        KeyHealth health = stack.stored(order.ref()).keyHealth();
        assertThat(health.status()).isEqualTo(KeyHealth.Status.AccessLost);
        assertThat(health.errorCode()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException);
        assertThat(stack.events.published()).singleElement().satisfies(e -> {
            assertThat(e.event().type()).isEqualTo(OrderEvent.Type.KeyAccessLost);
            assertThat(e.event().kekUrl()).isEqualTo(key.keyUrl());
            assertThat(e.event().errorCode()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException);
        });

        // Found again, and fixed: a change of the finding only is no event; access regained is one.
        encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR);
        assertThat(stack.events.published()).hasSize(1);
        stack.keyVault.grant(key.vaultUrl(), key.wrappingIdentity(), Permission.WrapKey);
        assertThat(encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR).valid())
                .isTrue();
        assertThat(stack.events.published())
                .extracting(e -> e.event().type())
                .containsExactly(OrderEvent.Type.KeyAccessLost, OrderEvent.Type.KeyAccessRestored);
    }

    @Test
    void validatingDuringAKeyVaultOutageIsTheOutageNotAFinding() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        stack.keyVault.goDown();
        assertThatThrownBy(() -> encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.KeyVaultUnavailable));
        assertThatThrownBy(() -> encryption.validate(order.ref(), asUserAssigned(key.keyUrl()), IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.KeyVaultUnavailable));
        assertThat(stack.stored(order.ref())).isEqualTo(order);
    }

    @Test
    void validatingAProposalChangesNothing() {
        Order order = stack.orderWithIdentityOf(key);
        ValidationReport report = encryption.validate(order.ref(), asUserAssigned(key.keyUrl()), IfMatch.ABSENT, ACTOR);
        assertThat(report.valid()).isTrue();
        assertThat(report.wrapped()).isNotNull();
        assertThat(stack.stored(order.ref())).isEqualTo(order);
    }

    @Test
    void aMalformedProposedUrlIsAFailedCheckNotAnError() {
        Order order = stack.orderWithIdentityOf(key);
        ValidationReport report = encryption.validate(order.ref(), asUserAssigned("not a url"), IfMatch.ABSENT, ACTOR);
        assertThat(report.valid()).isFalse();
        assertThat(report.kekUrl()).isEqualTo("not a url");
        assertThat(report.checks().getFirst().errorCode()).isEqualTo(ErrorCode.SsemUserErrorInvalidKeyVaultUrl);
        assertThat(report.checks().subList(1, report.checks().size()))
                .allSatisfy(c -> assertThat(c.status()).isEqualTo(Check.Status.Skipped));
    }

    @Test
    void aMissingKeySkipsWrapAndUnwrap() {
        Order order = stack.orderWithIdentityOf(key);
        ValidationReport report = encryption.validate(
                order.ref(), asUserAssigned(key.vaultUrl() + "/keys/missing"), IfMatch.ABSENT, ACTOR);
        assertThat(report.firstFailure())
                .get()
                .extracting(ServiceException::code)
                .isEqualTo(ErrorCode.SsemUserErrorKeyDetailsNotFound);
        assertThat(report.checks())
                .filteredOn(c -> c.name().startsWith("permission") && !c.name().endsWith("Get"))
                .allSatisfy(c -> assertThat(c.status()).isEqualTo(Check.Status.Skipped));
    }

    @Test
    void createsAnOrderProtectedByTheCustomersKeyFromTheStart() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        assertThat(customer(order).keyUrl().keyId()).isEqualTo(key.keyUrl());
        assertThat(order.keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
        assertThat(stack.revealPassword(order.ref())).hasSize(24);
    }

    /**
     * A new order whose key URL can never be used, or whose vault ID names another vault, is refused
     * before its system-assigned identity is made and assigned to the function app (Resource Manager
     * calls the refusal would then undo, and an identity left behind when that fails).
     */
    @Test
    void aNewOrderWithAnUnusableKeyMakesNoIdentity() {
        int made = stack.identities.systemAssignedMade();
        for (KeyEncryptionKeyRequest unusable : List.of(
                new KeyEncryptionKeyRequest(
                        RequestedKeyUrl.read(key.keyUrl().replace("https://", "http://")),
                        null,
                        KeyIdentity.SYSTEM_ASSIGNED),
                new KeyEncryptionKeyRequest(
                        RequestedKeyUrl.read(key.keyUrl()),
                        new VaultResourceId("/subscriptions/" + InMemoryIdentityDirectory.SUBSCRIPTION
                                + "/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/another-vault"),
                        KeyIdentity.SYSTEM_ASSIGNED))) {
            NewOrder request = new NewOrder("westus", new IdentityUpdate(true, false, Set.of(), Set.of()), unusable);
            assertThatThrownBy(() -> encryption.create(InMemoryStack.newName(), request, CALLER))
                    .isInstanceOfSatisfying(
                            ServiceException.class, e -> assertThat(e.code()).isNotEqualTo(ErrorCode.InternalError));
        }
        assertThat(stack.identities.systemAssignedMade()).isEqualTo(made);
    }

    /**
     * An order created with its key reached through the system-assigned identity it makes cannot pass (the new
     * identity is not granted yet): the refusal says that identity is gone again and how to go about it. It named
     * the deleted principal to grant, and each retry made another (bug bash of 2026-12-06, B2). Done as it says,
     * the order gets the key.
     */
    @Test
    void anOrderCreatedWithItsKeyThroughTheIdentityItMakesIsToldThatIdentityIsGoneAndWhatToDo() {
        OrderRef ref = InMemoryStack.newName();
        IdentityUpdate systemAssigned = new IdentityUpdate(true, false, Set.of(), Set.of());
        KeyEncryptionKeyRequest throughIt = new KeyEncryptionKeyRequest(
                RequestedKeyUrl.read(key.keyUrl()),
                new VaultResourceId(key.vaultResourceId()),
                KeyIdentity.SYSTEM_ASSIGNED);

        assertThatThrownBy(() -> encryption.create(ref, new NewOrder("westus", systemAssigned, throughIt), CALLER))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException);
                    assertThat(e.getMessage()).contains("was deleted again with the rest of the request");
                    assertThat(e.resolution()).contains("without the customer-managed key");
                });
        assertThat(stack.orders.find(ref)).isEmpty();

        Order made = stack.orderService()
                .createOrReplace(ref, new NewOrder("westus", systemAssigned, null), IfMatch.ABSENT, CALLER);
        stack.keyVault.grantAll(
                key.vaultUrl(),
                new WrappingIdentity.ManagedIdentity(
                        made.identity().systemAssigned().resourceId()));
        String password = stack.revealPassword(ref);
        Order enabled = encryption.enable(ref, throughIt, IfMatch.ABSENT, ACTOR);
        assertThat(customer(enabled).keyIdentity()).isEqualTo(KeyIdentity.SYSTEM_ASSIGNED);
        assertThat(stack.revealPassword(ref)).isEqualTo(password);
    }

    /**
     * An order created with a system-assigned identity and its key reached through a user-assigned one the vault
     * refuses: the refusal is the vault's, without the advice to create the order without its key first, which is
     * for a key reached through the identity the request makes (mutation testing mt1: every refused create with a
     * new system-assigned identity got that advice when its test was taken out).
     */
    @Test
    void aCreateRefusedThroughAUserAssignedIdentityIsNotToldToCreateWithoutTheKeyFirst() {
        OrderRef ref = InMemoryStack.newName();
        IdentityUpdate both = new IdentityUpdate(true, true, Set.of(key.identityId()), Set.of());
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.WrapKey);

        assertThatThrownBy(() ->
                        encryption.create(ref, new NewOrder("westus", both, asUserAssigned(key.keyUrl())), CALLER))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException);
                    assertThat(e.getMessage()).doesNotContain("deleted again");
                    assertThat(e.resolution()).doesNotContain("without the customer-managed key");
                });
        assertThat(stack.orders.find(ref)).isEmpty();
    }

    /**
     * The service's own key disabled: validate of an order on it answers InternalError (500) as Data Copy and
     * listCredentials do, names no URL of the service's vault and leaves the order's health as it was. It
     * answered the customer's SsemUserErrorEncryptionKeyDisabled with the service key's URL and stored the
     * order as AccessLost (bug bash of 2026-12-06, E1).
     */
    @Test
    void theServicesOwnKeyDisabledIsNoFindingOfTheCustomersOrder() {
        Order order = stack.microsoftManagedOrder();
        stack.keyVault.version(stack.microsoftKeyUrl).disable();
        try {
            assertThatThrownBy(() -> encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.InternalError);
                        assertThat(e.getMessage()).doesNotContain("vault.azure.net");
                    });
            assertThat(stack.stored(order.ref())).isEqualTo(order);
        } finally {
            stack.keyVault.version(stack.microsoftKeyUrl).enable();
        }
        assertThat(encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR).valid())
                .isTrue();
    }

    @Test
    void theMicrosoftKeyIsNeverAskedForACustomerManagedOrder() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        String serviceVault = stack.microsoftKeyUrl.substring(0, stack.microsoftKeyUrl.indexOf("/keys/"));
        stack.keyVault.revoke(serviceVault, WrappingIdentity.SERVICE, InMemoryKeyVault.Permission.values());
        assertThat(encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR).valid())
                .isTrue();
    }

    /**
     * A Microsoft-managed order wrapped with a service key whose host the operator has since taken off the
     * allow-list: validate is the service's fault ({@code 500}), naming no host of the service's vault; it gave the
     * customer {@code 400 SsemUserErrorKeyVaultUrlInvalidHost} with the service vault's host (review of 2026-12-06,
     * L1).
     */
    @Test
    void validateOfAnOrderOnAServiceKeyWhoseHostIsNoLongerAllowedIsTheServicesFault() {
        Order order = stack.microsoftManagedOrder();
        EncryptionService narrowed = stack.servicesWithHosts(new com.databox.cmk.encryption.VaultHostPolicy(
                        java.util.List.of("vault.usgovcloudapi.net"), java.util.List.of()))
                .encryption();

        assertThatThrownBy(() -> narrowed.validate(order.ref(), null, IfMatch.ABSENT, ACTOR))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.InternalError);
                    assertThat(e.getMessage()).doesNotContain("vault.azure.net");
                });
        assertThat(stack.stored(order.ref()).keyHealth()).isEqualTo(order.keyHealth());
    }

    /** The service vault not answering a Microsoft-managed order's validate is an outage to retry, not a fault. */
    @Test
    void validateOfAMicrosoftManagedOrderWhileTheServiceVaultIsDownIsAnOutage() {
        Order order = stack.microsoftManagedOrder();
        stack.keyVault.goDown();
        assertThatThrownBy(() -> encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.KeyVaultUnavailable));
        stack.keyVault.recover();
    }

    /**
     * The stored key refuses and the customer's copy's vault does not answer: the outage is the answer, to retry, not
     * the stored key's "gone for good" (bug bash of 2026-12-06, fixes verified F1); nothing changes.
     */
    @Test
    void anOutageOfTheCopysVaultIsTheAnswerWhenTheStoredKeyRefuses() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        CustomerKey other = stack.customerKey();
        key.version().disable();
        KeyVaultGateway copyDown = new KeyVaultGateway() {
            @Override
            public KeyDescription describe(KeyUrl key, WrappingIdentity identity) {
                return stack.keyVault.describe(key, identity);
            }

            @Override
            public WrappedUnlockKey wrapWithPublicKey(KeyDescription described, byte[] value) {
                return stack.keyVault.wrapWithPublicKey(described, value);
            }

            @Override
            public WrappedUnlockKey wrap(KeyUrl key, WrappingIdentity identity, byte[] unlockKey) {
                return stack.keyVault.wrap(key, identity, unlockKey);
            }

            @Override
            public byte[] unwrap(WrappedUnlockKey wrapped, WrappingIdentity identity) {
                if (wrapped.keyUrl().keyId().startsWith(other.vaultUrl())) {
                    throw new ServiceException(
                            ErrorCode.KeyVaultUnavailable, "down", null, java.time.Duration.ofSeconds(30), null);
                }
                return stack.keyVault.unwrap(wrapped, identity);
            }
        };
        Order before = stack.stored(order.ref());

        assertThatThrownBy(() -> stack.servicesWithKeyVault(copyDown)
                        .encryption()
                        .changeKey(
                                order.ref(), RequestedKeyUrl.read(other.keyUrl()), false, null, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.KeyVaultUnavailable));
        assertThat(stack.stored(order.ref())).isEqualTo(before);
    }
}
