package com.databox.cmk.encryption;

import static com.databox.cmk.testing.inmemory.InMemoryStack.ACTOR;
import static com.databox.cmk.testing.inmemory.InMemoryStack.CALLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.CustomerResolutionCode;
import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.NewOrder;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.Stage;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.outbox.CmkEvent;
import com.databox.cmk.testing.inmemory.InMemoryKeyVault.Permission;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.testing.inmemory.InMemoryStack.CustomerKey;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The remedies of the seed's troubleshooting table on in-memory ports (issue 11): a lost key
 * identity or tenant is recoverable, and Data Copy waits for the customer instead of failing.
 */
class RemediesUnitTest {
    private final InMemoryStack stack = new InMemoryStack();
    private final EncryptionService encryption = stack.encryption();
    private final CustomerKey key = stack.customerKey();

    private static ErrorCode codeOf(Throwable e) {
        return ((ServiceException) e).code();
    }

    /**
     * Another user-assigned identity granted the key and attached to {@code order}; the key's own identity
     * deleted from the directory and no longer able to reach the key.
     */
    /**
     * Moves the order to AtAzureDC and asks for Data Copy while its identity may not get the key: held. Get is given
     * back after; answers the refusal.
     */
    private RuntimeException heldBeforeDataCopyWithoutGet(Order order) {
        encryption.moveStage(order.ref(), Stage.AtAzureDC, IfMatch.ABSENT, ACTOR);
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.Get);
        try {
            encryption.moveStage(order.ref(), Stage.DataCopy, IfMatch.ABSENT, ACTOR);
        } catch (RuntimeException refused) {
            return refused;
        } finally {
            stack.keyVault.grant(key.vaultUrl(), key.wrappingIdentity(), Permission.Get);
        }
        throw new AssertionError("The move to Data Copy was not refused.");
    }

    private UserAssignedIdentityId anotherIdentityAndTheKeysOneGone(Order order) {
        UserAssignedIdentity other =
                stack.identities.createUserAssigned("uai-other-" + order.name().value());
        stack.keyVault.grantAll(key.vaultUrl(), new WrappingIdentity.ManagedIdentity(other.resourceId()));
        UserAssignedIdentityId otherId = other.resourceId();
        stack.orderService()
                .updateIdentity(
                        order.ref(),
                        new IdentityUpdate(false, true, Set.of(otherId), Set.of()),
                        IfMatch.ABSENT,
                        CALLER);
        stack.identities.delete(key.identity().resourceId());
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.values());
        return otherId;
    }

    @Test
    void changeIdentityProvesWithTheNewIdentityWhenTheOldOneIsDeleted() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        String password = stack.revealPassword(order.ref());
        UserAssignedIdentityId otherId = anotherIdentityAndTheKeysOneGone(order);

        Order changed =
                encryption.changeIdentity(order.ref(), KeyIdentity.userAssigned(otherId), IfMatch.ABSENT, ACTOR);

        assertThat(changed.keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
        assertThat(stack.revealPassword(order.ref())).isEqualTo(password);
    }

    /**
     * An order that follows new versions: its identity is deleted, and the key's newest version is disabled
     * (or not usable yet). Change identity proves the stored version with the new identity and keeps following
     * new versions; it asked for the newest before and was refused, which stranded the order.
     */
    @Test
    void changeIdentityOfAnOrderFollowingNewVersionsProvesTheStoredVersion() {
        Order order = stack.customerManagedOrder(key, key.versionlessUrl());
        String stored =
                ((KeyProtection.CustomerManaged) order.protection()).keyUrl().keyId();
        String password = stack.revealPassword(order.ref());
        stack.keyVault.addVersion(key.vaultUrl(), key.keyName()).disable();
        UserAssignedIdentityId otherId = anotherIdentityAndTheKeysOneGone(order);

        Order changed =
                encryption.changeIdentity(order.ref(), KeyIdentity.userAssigned(otherId), IfMatch.ABSENT, ACTOR);

        assertThat(changed.keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
        KeyProtection.CustomerManaged protection = (KeyProtection.CustomerManaged) changed.protection();
        assertThat(protection.keyUrl().keyId()).isEqualTo(stored);
        assertThat(protection.autoRotation()).isTrue();
        assertThat(protection.keyIdentity()).isEqualTo(KeyIdentity.userAssigned(otherId));
        assertThat(stack.revealPassword(order.ref())).isEqualTo(password);
    }

    /**
     * An order that follows new versions, with a newer enabled version: change identity proves the newest
     * version and moves the order there, and the Logic App hears of the move as of the audit's (it did not).
     */
    @Test
    void changeIdentityMovingAnOrderToTheNewestVersionPublishesTheRotation() {
        Order order = stack.customerManagedOrder(key, key.versionlessUrl());
        String stored =
                ((KeyProtection.CustomerManaged) order.protection()).keyUrl().keyId();
        String password = stack.revealPassword(order.ref());
        String newest = stack.keyVault.addVersion(key.vaultUrl(), key.keyName()).keyId();
        UserAssignedIdentityId otherId = anotherIdentityAndTheKeysOneGone(order);

        Order changed =
                encryption.changeIdentity(order.ref(), KeyIdentity.userAssigned(otherId), IfMatch.ABSENT, ACTOR);

        assertThat(((KeyProtection.CustomerManaged) changed.protection())
                        .keyUrl()
                        .keyId())
                .isEqualTo(newest);
        assertThat(stack.events.published())
                .extracting(CmkEvent::event)
                .filteredOn(e -> e.type() == OrderEvent.Type.KeyVersionRotated)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.kekUrl()).isEqualTo(newest);
                    assertThat(e.previousKekUrl()).isEqualTo(stored);
                    assertThat(e.time()).isEqualTo(changed.keyHealth().lastCheckedAt());
                });
        assertThat(stack.revealPassword(order.ref())).isEqualTo(password);
    }

    @Test
    void changeIdentityToAnIdentityWithoutAccessChangesNothing() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        UserAssignedIdentity other =
                stack.identities.createUserAssigned("uai-none-" + order.name().value());
        UserAssignedIdentityId otherId = other.resourceId();
        Order attached = stack.orderService()
                .updateIdentity(
                        order.ref(),
                        new IdentityUpdate(false, true, Set.of(otherId), Set.of()),
                        IfMatch.ABSENT,
                        CALLER);

        assertThatThrownBy(() -> encryption.changeIdentity(
                        order.ref(), KeyIdentity.userAssigned(otherId), IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException));
        assertThat(stack.stored(order.ref())).isEqualTo(attached);
    }

    @Test
    void tenantMigrationRemedyNoneThenSystemAssignedThenGrantKeepsThePassword() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        String password = stack.revealPassword(order.ref());
        stack.orderService()
                .updateIdentity(
                        order.ref(), new IdentityUpdate(true, true, Set.of(), Set.of()), IfMatch.ABSENT, CALLER);
        WrappingIdentity first =
                stack.services.requirements().resolve(stack.stored(order.ref()), KeyIdentity.SYSTEM_ASSIGNED);
        stack.keyVault.grantAll(key.vaultUrl(), first);
        encryption.changeIdentity(order.ref(), KeyIdentity.SYSTEM_ASSIGNED, IfMatch.ABSENT, ACTOR);

        // The identity to None (the system-assigned one is deleted), then SystemAssigned again: a new principal.
        Order none = stack.orderService()
                .updateIdentity(
                        order.ref(), new IdentityUpdate(false, true, Set.of(), Set.of()), IfMatch.ABSENT, CALLER);
        assertThat(none.keyHealth().status()).isEqualTo(KeyHealth.Status.AccessLost);
        assertThat(none.keyHealth().errorCode()).isEqualTo(ErrorCode.SsemUserErrorSystemAssignedIdentityAbsent);
        Order again = stack.orderService()
                .updateIdentity(
                        order.ref(), new IdentityUpdate(true, true, Set.of(), Set.of()), IfMatch.ABSENT, CALLER);
        assertThat(again.keyHealth().status()).isEqualTo(KeyHealth.Status.AccessLost);
        assertThat(encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR).valid())
                .isFalse();

        WrappingIdentity renewed =
                stack.services.requirements().resolve(stack.stored(order.ref()), KeyIdentity.SYSTEM_ASSIGNED);
        assertThat(renewed).isNotEqualTo(first);
        stack.keyVault.grantAll(key.vaultUrl(), renewed);
        assertThat(encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR).valid())
                .isTrue();
        assertThat(stack.stored(order.ref()).keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
        assertThat(stack.revealPassword(order.ref())).isEqualTo(password);
        // Each change of the health's status is an event (API.md), whoever made it: the identity change, validate.
        String name = order.name().value();
        assertThat(stack.events.summary()).containsExactly("KeyAccessLost " + name, "KeyAccessRestored " + name);
    }

    @Test
    void dataCopyWaitsForTheCustomerAndResumesOnceTheKeyIsFixed() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        String password = stack.revealPassword(order.ref());
        encryption.moveStage(order.ref(), Stage.AtAzureDC, IfMatch.ABSENT, ACTOR);
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.Get);

        assertThatThrownBy(() -> encryption.moveStage(order.ref(), Stage.DataCopy, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException));
        Order held = stack.stored(order.ref());
        assertThat(held.stage()).isEqualTo(Stage.AtAzureDC);
        assertThat(held.stageStatus()).isEqualTo("WaitingForCustomerActionForKek");
        assertThat(held.kekWait().errorCode()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException);
        assertThat(held.kekWait().message()).containsIgnoringCase("get");
        assertThat(held.keyHealth().status()).isEqualTo(KeyHealth.Status.AccessLost);
        assertThat(stack.events.published())
                .extracting(e -> e.event().type())
                .contains(OrderEvent.Type.WaitingForCustomerActionForKek);

        stack.keyVault.grant(key.vaultUrl(), key.wrappingIdentity(), Permission.Get);
        Order resumed = encryption.mitigate(order.ref(), CustomerResolutionCode.RESUME, IfMatch.ABSENT, ACTOR);

        assertThat(resumed.stage()).isEqualTo(Stage.DataCopy);
        assertThat(resumed.stageStatus()).isEqualTo("None");
        assertThat(resumed.keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
        assertThat(stack.revealPassword(order.ref())).isEqualTo(password);
        String name = order.name().value();
        // The hold's two events are one write's (published in no set order), the resume's a later one's.
        assertThat(stack.events.summary())
                .containsExactlyInAnyOrder(
                        "WaitingForCustomerActionForKek " + name, "KeyAccessLost " + name, "KeyAccessRestored " + name)
                .endsWith("KeyAccessRestored " + name);
    }

    @Test
    void mitigateKeepsWaitingWhileTheKeyIsStillBroken() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        key.version().disable();
        assertThatThrownBy(() -> encryption.moveStage(order.ref(), Stage.DataCopy, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyDisabled));
        Order held = stack.stored(order.ref());
        stack.advance(Duration.ofMinutes(5));
        assertThatThrownBy(() -> encryption.mitigate(order.ref(), CustomerResolutionCode.RESUME, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyDisabled));
        assertThatThrownBy(() -> encryption.moveStage(order.ref(), Stage.DataCopy, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyDisabled));
        // Refused for the same finding: nothing written (a client holding the ETag is not told it changed, the
        // wait keeps its start and the finding its time).
        assertThat(stack.stored(order.ref())).isEqualTo(held);
        assertThat(held.stageStatus()).isEqualTo("WaitingForCustomerActionForKek");
        assertThat(held.stage()).isEqualTo(Stage.DeviceOrdered);

        // Another finding is recorded, and the wait still dates from its start.
        key.version().enable();
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.UnwrapKey);
        stack.advance(Duration.ofMinutes(5));
        assertThatThrownBy(() -> encryption.mitigate(order.ref(), CustomerResolutionCode.RESUME, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException));
        Order heldAgain = stack.stored(order.ref());
        assertThat(heldAgain.etag()).isNotEqualTo(held.etag());
        assertThat(heldAgain.kekWait().errorCode()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException);
        assertThat(heldAgain.kekWait().since()).isEqualTo(held.kekWait().since());
        assertThat(heldAgain.keyHealth().lastCheckedAt())
                .isAfter(held.keyHealth().lastCheckedAt());
    }

    /** The wait ends by the key's proof (resume, or the stage it waits for), or by cancelling: no move skips the proof. */
    @Test
    void anOrderWaitingForItsKeyCannotMovePastTheStageItWaitsFor() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        key.version().disable();
        assertThatThrownBy(() -> encryption.moveStage(order.ref(), Stage.DataCopy, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyDisabled));
        Order held = stack.stored(order.ref());

        assertThatThrownBy(() -> encryption.moveStage(order.ref(), Stage.Completed, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.InvalidStageTransition));
        assertThatThrownBy(() -> encryption.moveStage(order.ref(), Stage.AtAzureDC, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.InvalidStageTransition));
        assertThat(stack.stored(order.ref())).isEqualTo(held);
        assertThatThrownBy(() -> encryption.moveStage(order.ref(), Stage.DataCopy, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyDisabled));

        Order cancelled = encryption.moveStage(order.ref(), Stage.Cancelled, IfMatch.ABSENT, ACTOR);

        assertThat(cancelled.stage()).isEqualTo(Stage.Cancelled);
        assertThat(cancelled.stageStatus()).isEqualTo("None");
    }

    @Test
    void anExpiredKeyHoldsDataCopyEvenThoughKeyVaultWouldStillUnwrap() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        key.version().expire(stack.clock.instant().minusSeconds(1));
        // Key Vault (and the in-memory vault) still unwrap with an expired key: the service refuses it itself.
        assertThat(stack.revealPassword(order.ref())).isNotEmpty();

        assertThatThrownBy(() -> encryption.moveStage(order.ref(), Stage.DataCopy, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyExpired));
        assertThat(stack.stored(order.ref()).kekWait().errorCode())
                .isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyExpired);

        key.version().expire(stack.clock.instant().plus(Duration.ofDays(365)));
        assertThat(encryption
                        .mitigate(order.ref(), CustomerResolutionCode.RESUME, IfMatch.ABSENT, ACTOR)
                        .stage())
                .isEqualTo(Stage.DataCopy);
    }

    @Test
    void mitigateRefusesAnOrderThatIsNotWaitingAndAnUnknownResolutionCode() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        assertThatThrownBy(() -> encryption.mitigate(order.ref(), CustomerResolutionCode.RESUME, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.OrderNotWaitingForCustomerAction));
        assertThatThrownBy(() -> encryption.mitigate(
                        order.ref(), CustomerResolutionCode.MOVE_TO_CLEAN_UP_DEVICE, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.InvalidRequest));
    }

    @Test
    void aKeyVaultOutageAtDataCopyHoldsNothing() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        stack.keyVault.goDown();
        assertThatThrownBy(() -> encryption.moveStage(order.ref(), Stage.DataCopy, IfMatch.ABSENT, ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.KeyVaultUnavailable));
        assertThat(stack.stored(order.ref())).isEqualTo(order);
    }

    @Test
    void aCustomerSuppliedPasswordIsTheDevicePassword() {
        Order order = encryption.create(
                InMemoryStack.newName(),
                new NewOrder(
                        "westus",
                        new IdentityUpdate(false, true, Set.of(key.identityId()), Set.of()),
                        new KeyEncryptionKeyRequest(
                                RequestedKeyUrl.read(key.keyUrl()), null, KeyIdentity.userAssigned(key.identityId())),
                        "Secure#Pa55w4rd".toCharArray()),
                CALLER);
        assertThat(stack.revealPassword(order.ref())).isEqualTo("Secure#Pa55w4rd");
    }

    @Test
    void aKeyInAnotherCloudThanTheOrderIsRefusedBeforeAnyVaultCall() {
        Order order = stack.orderWithIdentityOf(key);
        int calls = stack.keyVault.calls();
        String govKey = "https://contoso.vault.usgovcloudapi.net/keys/k";
        assertThatThrownBy(() -> encryption.enable(
                        order.ref(),
                        new KeyEncryptionKeyRequest(
                                RequestedKeyUrl.read(govKey), null, KeyIdentity.userAssigned(key.identityId())),
                        IfMatch.ABSENT,
                        ACTOR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorKeyVaultUrlInvalidHost));
        assertThat(stack.keyVault.calls()).isEqualTo(calls);
    }

    /**
     * Mutation testing (mt1): the move to DataCopy (the one that proves the unlock key) reads If-Match as every
     * change does: a stale ETag is 412 and nothing is written. Removing the check went unnoticed by the unit tests.
     */
    @Test
    void aMoveToDataCopyWithAStaleIfMatchIsRefusedAndChangesNothing() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        Order atDc = encryption.moveStage(order.ref(), Stage.AtAzureDC, IfMatch.ABSENT, ACTOR);
        String stale = order.etag();

        assertThatThrownBy(() -> encryption.moveStage(order.ref(), Stage.DataCopy, IfMatch.of(stale), ACTOR))
                .isInstanceOf(com.databox.cmk.order.StaleOrderException.class);
        assertThat(stack.stored(order.ref())).isEqualTo(atDc);
    }

    /**
     * Mutation testing (mt1): {@code mitigate} with a stale If-Match is 412 and the order keeps waiting; removing the
     * check went unnoticed by the unit tests.
     */
    @Test
    void aResumeWithAStaleIfMatchIsRefusedAndTheOrderKeepsWaiting() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        assertThat(heldBeforeDataCopyWithoutGet(order)).isInstanceOf(ServiceException.class);
        Order held = stack.stored(order.ref());

        assertThatThrownBy(() -> encryption.mitigate(
                        order.ref(), CustomerResolutionCode.RESUME, IfMatch.of(order.etag()), ACTOR))
                .isInstanceOf(com.databox.cmk.order.StaleOrderException.class);
        assertThat(stack.stored(order.ref())).isEqualTo(held);
        assertThat(encryption
                        .mitigate(order.ref(), CustomerResolutionCode.RESUME, IfMatch.of(held.etag()), ACTOR)
                        .stage())
                .isEqualTo(Stage.DataCopy);
    }

    /**
     * Mutation testing (mt1): validate of an order whose stored key is on a host the operator has since taken off
     * the allow-list reports the host (SsemUserErrorKeyVaultUrlInvalidHost) and calls no vault. Removing
     * {@code requireStillAllowed} from {@code KeyRequirements.check} for a stored key went unnoticed.
     */
    @Test
    void validateOfAStoredKeyOnAHostNoLongerAllowedReportsTheHostAndCallsNoVault() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        EncryptionService narrowed = stack.servicesWithHosts(
                        new VaultHostPolicy(java.util.List.of("vault.usgovcloudapi.net"), java.util.List.of()))
                .encryption();
        int calls = stack.keyVault.calls();

        com.databox.cmk.encryption.ValidationReport report =
                narrowed.validate(order.ref(), null, IfMatch.ABSENT, ACTOR);

        assertThat(report.valid()).isFalse();
        assertThat(report.firstFailure())
                .hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultUrlInvalidHost));
        assertThat(stack.keyVault.calls()).isEqualTo(calls);
    }

    /**
     * Mutation testing (mt1): an order held for one finding and held again, at a resume, for another publishes
     * WaitingForCustomerActionForKek again, with the newer finding; negating the "finding changed" test went
     * unnoticed (the customer's notice kept the first reason).
     */
    @Test
    void aHoldForAnotherFindingPublishesTheWaitAgain() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        assertThat(codeOf(heldBeforeDataCopyWithoutGet(order)))
                .isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException);
        stack.keyVault.setRecoveryLevel(key.vaultUrl(), "Recoverable+Purgeable");

        assertThatThrownBy(() -> encryption.mitigate(order.ref(), CustomerResolutionCode.RESUME, IfMatch.ABSENT, ACTOR))
                .satisfies(e ->
                        assertThat(codeOf(e)).isEqualTo(ErrorCode.SsemUserErrorSoftDeleteAndPurgeProtectionNotEnabled));

        assertThat(stack.stored(order.ref()).kekWait().errorCode())
                .isEqualTo(ErrorCode.SsemUserErrorSoftDeleteAndPurgeProtectionNotEnabled);
        assertThat(stack.events.published())
                .filteredOn(e -> e.event().type() == OrderEvent.Type.WaitingForCustomerActionForKek)
                .hasSize(2);
    }
}
