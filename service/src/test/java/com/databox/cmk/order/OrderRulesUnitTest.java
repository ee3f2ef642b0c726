package com.databox.cmk.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The rules on {@link Order}, as plain values: no store, no vault. */
class OrderRulesUnitTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final UserAssignedIdentityId UAI = new UserAssignedIdentityId("/subscriptions/"
            + "d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/rg/providers/Microsoft.ManagedIdentity/"
            + "userAssignedIdentities/uai-1");
    private static final UserAssignedIdentity UAI_IDENTITY =
            new UserAssignedIdentity(UAI, "principal", "client", "tenant");
    private static final SystemAssignedIdentity SYSTEM = new SystemAssignedIdentity(
            "principal",
            "tenant",
            new UserAssignedIdentityId(
                    "/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/svc/providers/"
                            + "Microsoft.ManagedIdentity/userAssignedIdentities/databox-o-1"));
    private static final KeyUrl KEY_V1 =
            KeyUrl.parse("https://contoso.vault.azure.net/keys/kek/0123456789abcdef0123456789abcdef");
    private static final VaultResourceId VAULT =
            new VaultResourceId("/subscriptions/s/resourceGroups/rg/providers/" + "Microsoft.KeyVault/vaults/contoso");

    private static Order order(Stage stage) {
        return Order.draft(
                        new OrderRef(InMemoryStack.TENANT, new OrderName("order-1")), "westus", OrderIdentity.NONE, NOW)
                .withStage(stage);
    }

    private static Order customerManaged(KeyIdentity keyIdentity, OrderIdentity identity, boolean autoRotation) {
        return order(Stage.DeviceOrdered)
                .withIdentity(identity)
                .withProtection(
                        new KeyProtection.CustomerManaged(KEY_V1, VAULT, keyIdentity, autoRotation),
                        new WrappedUnlockKey(KEY_V1, "RSA-OAEP-256", new byte[8]));
    }

    private static OrderIdentity withUserAssigned() {
        return new OrderIdentity(null, Map.of(UAI, UAI_IDENTITY));
    }

    private static OrderIdentity withSystemAssigned() {
        return new OrderIdentity(SYSTEM, Map.of());
    }

    @Test
    void theAuditProvesTheCustomerManagedKeyOfAnOrderNotFinishedOnly() {
        Order customer = customerManaged(KeyIdentity.userAssigned(UAI), withUserAssigned(), false);
        assertThat(customer.keyState().auditedKey()).contains((KeyProtection.CustomerManaged) customer.protection());
        for (Stage stage : Stage.values()) {
            assertThat(customer.withStage(stage).keyState().auditedKey().isPresent())
                    .as(stage.name())
                    .isEqualTo(!stage.isTerminal());
        }
        assertThat(order(Stage.DeviceOrdered).keyState().auditedKey()).isEmpty();
    }

    private static <T> Outcome.Refused<T> refused(Outcome<T> outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Refused.class);
        return (Outcome.Refused<T>) outcome;
    }

    @Test
    void movesForwardToALaterStage() {
        Outcome<Order> moved = order(Stage.DeviceOrdered).moveTo(Stage.Dispatched);
        assertThat(moved.orElseThrow().stage()).isEqualTo(Stage.Dispatched);
    }

    @Test
    void refusesMovingBackwards() {
        Outcome.Refused<Order> refusal = refused(order(Stage.Delivered).moveTo(Stage.Dispatched));
        assertThat(refusal.code()).isEqualTo(ErrorCode.InvalidStageTransition);
        assertThat(refusal.message())
                .isEqualTo("The order 'order-1' is in stage Delivered and cannot move to Dispatched.");
        assertThat(refusal.target()).isEqualTo("stage");
    }

    @Test
    void refusesStayingInTheSameStage() {
        assertThat(order(Stage.Delivered).moveTo(Stage.Delivered).isAllowed()).isFalse();
    }

    @Test
    void cancelsAnActiveOrderFromAnyStage() {
        assertThat(order(Stage.DataCopy).moveTo(Stage.Cancelled).isAllowed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(
            value = Stage.class,
            names = {"Completed", "CompletedWithErrors", "CompletedWithWarnings", "Cancelled", "Aborted"})
    void neverMovesOutOfATerminalStage(Stage terminal) {
        assertThat(order(terminal).moveTo(Stage.Aborted).isAllowed()).isFalse();
    }

    @Test
    void provesTheUnlockKeyOnlyWhenDataCopyStarts() {
        assertThat(Order.needsUnlockKeyProof(Stage.DataCopy)).isTrue();
        assertThat(Order.needsUnlockKeyProof(Stage.AtAzureDC)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(
            value = Stage.class,
            names = {"DeviceOrdered", "Dispatched", "AtAzureDC", "DataCopy"})
    void letsEncryptionChangeInActiveStages(Stage active) {
        assertThat(order(active).encryptionMayChange().isAllowed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(
            value = Stage.class,
            names = {"Completed", "Cancelled", "Aborted"})
    void refusesEncryptionChangesInTerminalStages(Stage terminal) {
        Outcome.Refused<Order> refusal = refused(order(terminal).encryptionMayChange());
        assertThat(refusal.code()).isEqualTo(ErrorCode.OrderInTerminalStage);
        assertThat(refusal.target()).isEqualTo("stage");
    }

    @Test
    void refusesKeyChangeWhileTheMicrosoftKeyProtects() {
        Outcome.Refused<KeyEncryptionKeyRequest> refusal = refused(order(Stage.DeviceOrdered)
                .keyChange(RequestedKeyUrl.read("https://contoso.vault.azure.net/keys/kek"), false, null));
        assertThat(refusal.code()).isEqualTo(ErrorCode.InvalidRequest);
        assertThat(refusal.target()).isEqualTo("keyEncryptionKey");
    }

    @Test
    void keyChangeKeepsTheIdentityThatReachesTheKey() {
        Order order = customerManaged(KeyIdentity.userAssigned(UAI), withUserAssigned(), false);
        VaultResourceId other = new VaultResourceId(VAULT.value().replace("/contoso", "/other"));
        KeyEncryptionKeyRequest request = order.keyChange(
                        RequestedKeyUrl.read("https://other.vault.azure.net/keys/k2"), false, other)
                .orElseThrow();
        assertThat(request.identity()).isEqualTo(KeyIdentity.userAssigned(UAI));
        assertThat(request.kekUrl().asGiven()).isEqualTo("https://other.vault.azure.net/keys/k2");
        assertThat(request.vault()).isEqualTo(other);
    }

    @Test
    void keyChangeInTheSameVaultKeepsTheVaultResourceIdWhenOmitted() {
        Order order = customerManaged(KeyIdentity.userAssigned(UAI), withUserAssigned(), false);
        KeyEncryptionKeyRequest request = order.keyChange(
                        RequestedKeyUrl.read(
                                "https://contoso.vault.azure.net/keys/kek/fedcba9876543210fedcba9876543210"),
                        false,
                        null)
                .orElseThrow();
        assertThat(request.vault()).isEqualTo(VAULT);
    }

    @Test
    void keyChangeToAnotherVaultRequiresItsResourceId() {
        Order order = customerManaged(KeyIdentity.userAssigned(UAI), withUserAssigned(), false);
        Outcome.Refused<KeyEncryptionKeyRequest> refusal =
                refused(order.keyChange(RequestedKeyUrl.read("https://other.vault.azure.net/keys/k2"), false, null));
        assertThat(refusal.code()).isEqualTo(ErrorCode.InvalidRequest);
        assertThat(refusal.target()).isEqualTo("kekVaultResourceID");
    }

    @Test
    void refusesAVaultResourceIdThatNamesAnotherVaultThanTheKeyUrl() {
        Order order = customerManaged(KeyIdentity.userAssigned(UAI), withUserAssigned(), false);
        Outcome.Refused<KeyEncryptionKeyRequest> refusal =
                refused(order.keyChange(RequestedKeyUrl.read("https://other.vault.azure.net/keys/k2"), false, VAULT));
        assertThat(refusal.target()).isEqualTo("kekVaultResourceID");
        assertThat(refusal.message()).contains("contoso").contains("other");
    }

    @Test
    void identityChangeKeepsTheExactVersionAndVaultWithoutAutoRotation() {
        Order order = customerManaged(KeyIdentity.userAssigned(UAI), withUserAssigned(), false);
        KeyEncryptionKeyRequest request =
                order.keyIdentityChange(KeyIdentity.SYSTEM_ASSIGNED).orElseThrow();
        assertThat(request.kekUrl().orElseThrow()).isEqualTo(KEY_V1);
        assertThat(request.vault()).isEqualTo(VAULT);
        assertThat(request.identity()).isEqualTo(KeyIdentity.SYSTEM_ASSIGNED);
    }

    @Test
    void identityChangeKeepsFollowingNewVersionsWithAutoRotation() {
        Order order = customerManaged(KeyIdentity.userAssigned(UAI), withUserAssigned(), true);
        assertThat(order.keyIdentityChange(KeyIdentity.SYSTEM_ASSIGNED)
                        .orElseThrow()
                        .kekUrl()
                        .asGiven())
                .isEqualTo("https://contoso.vault.azure.net/keys/kek");
    }

    private static KeyEncryptionKeyRequest asAnswered(Order order) {
        KeyProtection.CustomerManaged key = (KeyProtection.CustomerManaged) order.protection();
        return new KeyEncryptionKeyRequest(
                RequestedKeyUrl.of(key.keyUrl()), key.vault(), key.keyIdentity(), key.autoRotation());
    }

    /** A replacement may carry the order's own key, as its answer shows it (API.md, "Replacing an order"). */
    @Test
    void theKeyAsAnsweredIsTheKeyTheOrderHas() {
        Order order = customerManaged(KeyIdentity.userAssigned(UAI), withUserAssigned(), false);
        assertThat(order.isProtectedAsRequested(asAnswered(order))).isTrue();
        assertThat(order.isProtectedAsRequested(new KeyEncryptionKeyRequest(
                        RequestedKeyUrl.of(KEY_V1), null, KeyIdentity.userAssigned(UAI), false)))
                .as("the vault's resource ID left out is kept")
                .isTrue();
        UserAssignedIdentityId upperCase =
                new UserAssignedIdentityId(UAI.value().toUpperCase(Locale.ROOT));
        assertThat(order.isProtectedAsRequested(new KeyEncryptionKeyRequest(
                        RequestedKeyUrl.of(KEY_V1), VAULT, KeyIdentity.userAssigned(upperCase), false)))
                .as("a resource ID compares in any case")
                .isTrue();
        Order system = customerManaged(KeyIdentity.SYSTEM_ASSIGNED, withSystemAssigned(), false);
        assertThat(system.isProtectedAsRequested(asAnswered(system))).isTrue();
    }

    /**
     * Review rv13 L1: the vault's resource ID is an ARM resource ID as the identity's is, and ARM compares those in any
     * case (the jobs surface's PATCH does: JobService.sameVault). The order's own key, sent back with its vault ID
     * spelled otherwise (Azure CLI answers resourcegroups in lower case), is the key the order has.
     */
    @Test
    void theVaultsResourceIdComparesInAnyCaseAsTheIdentitysDoes() {
        Order order = customerManaged(KeyIdentity.userAssigned(UAI), withUserAssigned(), false);
        for (String spelling : new String[] {
            VAULT.value().replace("resourceGroups", "resourcegroups"),
            VAULT.value().toUpperCase(Locale.ROOT)
        }) {
            assertThat(order.isProtectedAsRequested(new KeyEncryptionKeyRequest(
                            RequestedKeyUrl.of(KEY_V1),
                            new VaultResourceId(spelling),
                            KeyIdentity.userAssigned(UAI),
                            false)))
                    .as(spelling)
                    .isTrue();
        }
    }

    /**
     * The order's own key sent back in another spelling of its URL is the key the order has, as the jobs surface's
     * PATCH takes it ({@link KeyUrl#namesSameKeyAs}): HTTPS's port, a trailing slash, and the host, name and version in
     * any case. A name or version in another case was refused (400) as another key.
     */
    @Test
    void theKeyAsAnsweredInAnotherSpellingIsTheKeyTheOrderHas() {
        Order order = customerManaged(KeyIdentity.userAssigned(UAI), withUserAssigned(), false);
        String path = "/keys/" + KEY_V1.name() + "/" + KEY_V1.version();
        for (String spelling : List.of(
                "https://" + KEY_V1.host() + ":443" + path,
                KEY_V1.keyId() + "/",
                "https://" + KEY_V1.host().toUpperCase(Locale.ROOT) + path,
                "https://" + KEY_V1.host() + "/keys/" + KEY_V1.name().toUpperCase(Locale.ROOT) + "/"
                        + KEY_V1.version().toUpperCase(Locale.ROOT))) {
            assertThat(order.isProtectedAsRequested(new KeyEncryptionKeyRequest(
                            RequestedKeyUrl.read(spelling), VAULT, KeyIdentity.userAssigned(UAI), false)))
                    .as(spelling)
                    .isTrue();
        }
    }

    @Test
    void anOrderFollowingNewVersionsHasItsAnsweredVersionWithAutoRotation() {
        Order order = customerManaged(KeyIdentity.userAssigned(UAI), withUserAssigned(), true);
        assertThat(order.isProtectedAsRequested(asAnswered(order))).isTrue();
        assertThat(order.isProtectedAsRequested(new KeyEncryptionKeyRequest(
                        RequestedKeyUrl.of(KEY_V1), VAULT, KeyIdentity.userAssigned(UAI), false)))
                .as("the version alone follows no newer one")
                .isFalse();
        assertThat(order.isProtectedAsRequested(new KeyEncryptionKeyRequest(
                        RequestedKeyUrl.of(KEY_V1.withVersion(null)), VAULT, KeyIdentity.userAssigned(UAI), true)))
                .as("only Key Vault tells the version a versionless URL names")
                .isFalse();
    }

    @Test
    void aKeyThatDiffersInAnythingIsNotTheOrders() {
        Order order = customerManaged(KeyIdentity.userAssigned(UAI), withUserAssigned(), false);
        KeyIdentity user = KeyIdentity.userAssigned(UAI);
        VaultResourceId otherVault = new VaultResourceId(VAULT.value().replace("/contoso", "/other"));
        for (KeyEncryptionKeyRequest other : new KeyEncryptionKeyRequest[] {
            new KeyEncryptionKeyRequest(
                    RequestedKeyUrl.of(KEY_V1.withVersion("fedcba9876543210fedcba9876543210")), VAULT, user),
            new KeyEncryptionKeyRequest(
                    RequestedKeyUrl.read("https://contoso.vault.azure.net/keys/other/" + KEY_V1.version()),
                    VAULT,
                    user),
            new KeyEncryptionKeyRequest(RequestedKeyUrl.of(KEY_V1), otherVault, user),
            new KeyEncryptionKeyRequest(RequestedKeyUrl.of(KEY_V1), VAULT, KeyIdentity.SYSTEM_ASSIGNED),
            new KeyEncryptionKeyRequest(
                    RequestedKeyUrl.of(KEY_V1),
                    VAULT,
                    KeyIdentity.userAssigned(UAI, new FederatedClientId("00000000-0000-0000-0000-0000000000f1"))),
            new KeyEncryptionKeyRequest(RequestedKeyUrl.of(KEY_V1), VAULT, user, true),
            new KeyEncryptionKeyRequest(RequestedKeyUrl.read("not a key url"), VAULT, user)
        }) {
            assertThat(order.isProtectedAsRequested(other)).as(other.toString()).isFalse();
        }
        assertThat(order(Stage.DeviceOrdered).isProtectedAsRequested(asAnswered(order)))
                .as("a Microsoft-managed order has no customer's key")
                .isFalse();
    }

    /** What enable and change-key write, once Key Vault answered the version that wraps. */
    @Test
    void aRequestFollowsNewVersionsWithAVersionlessUrlOrTheAnswersAutoRotation() {
        KeyUrl versionless = KEY_V1.withVersion(null);
        KeyIdentity user = KeyIdentity.userAssigned(UAI);
        assertThat(new KeyEncryptionKeyRequest(RequestedKeyUrl.of(versionless), VAULT, user)
                        .protectionBy(versionless, KEY_V1))
                .isEqualTo(new KeyProtection.CustomerManaged(KEY_V1, VAULT, user, true));
        assertThat(new KeyEncryptionKeyRequest(RequestedKeyUrl.of(KEY_V1), VAULT, user, true)
                        .protectionBy(KEY_V1, KEY_V1))
                .isEqualTo(new KeyProtection.CustomerManaged(KEY_V1, VAULT, user, true));
        assertThat(new KeyEncryptionKeyRequest(RequestedKeyUrl.of(KEY_V1), null, user).protectionBy(KEY_V1, KEY_V1))
                .isEqualTo(new KeyProtection.CustomerManaged(KEY_V1, null, user, false));
    }

    @Test
    void theServiceIdentityReachesTheMicrosoftKey() {
        assertThat(order(Stage.DeviceOrdered).currentWrappingIdentity().orElseThrow())
                .isEqualTo(WrappingIdentity.SERVICE);
    }

    @Test
    void theSystemAssignedIdentityReachesTheKeyThroughItsBackingResource() {
        Order order = customerManaged(KeyIdentity.SYSTEM_ASSIGNED, withSystemAssigned(), false);
        assertThat(order.currentWrappingIdentity().orElseThrow())
                .isEqualTo(new WrappingIdentity.ManagedIdentity(SYSTEM.resourceId(), true));
    }

    @Test
    void aKeyReachedThroughAMissingSystemAssignedIdentityCannotBeUnwrapped() {
        Order order = customerManaged(KeyIdentity.SYSTEM_ASSIGNED, OrderIdentity.NONE, false);
        Outcome.Refused<WrappingIdentity> refusal = refused(order.currentWrappingIdentity());
        assertThat(refusal.code()).isEqualTo(ErrorCode.SsemUserErrorSystemAssignedIdentityAbsent);
        assertThat(refusal.target()).isEqualTo("identity");
    }

    @Test
    void aProposedUserAssignedIdentityMustBeAttached() {
        Outcome.Refused<WrappingIdentity> refusal =
                refused(order(Stage.DeviceOrdered).wrappingIdentityFor(KeyIdentity.userAssigned(UAI)));
        assertThat(refusal.code()).isEqualTo(ErrorCode.SsemUserErrorUserAssignedIdentityAbsent);
        assertThat(refusal.target()).isEqualTo("identityProperties.userAssigned.resourceId");
    }

    @Test
    void aProposedSystemAssignedIdentityMustExist() {
        Outcome.Refused<WrappingIdentity> refusal =
                refused(order(Stage.DeviceOrdered).wrappingIdentityFor(KeyIdentity.SYSTEM_ASSIGNED));
        assertThat(refusal.code()).isEqualTo(ErrorCode.SsemUserErrorSystemAssignedIdentityAbsent);
        assertThat(refusal.target()).isEqualTo("identityProperties.type");
    }

    @Test
    void findsAnAttachedIdentityWhateverTheCaseOfItsResourceId() {
        Order order = order(Stage.DeviceOrdered).withIdentity(withUserAssigned());
        UserAssignedIdentityId upper = new UserAssignedIdentityId(UAI.value().toUpperCase(Locale.ROOT));
        assertThat(order.wrappingIdentityFor(KeyIdentity.userAssigned(upper)).isAllowed())
                .isTrue();
    }

    @Test
    void removingTheSystemAssignedIdentityThatReachesTheKeyLosesAccessButKeepsTheKey() {
        // The tenant-migration remedy: None, then SystemAssigned (a new principal), then grant it (issue 11, item 2).
        Order order = customerManaged(KeyIdentity.SYSTEM_ASSIGNED, withSystemAssigned(), false);
        Order changed =
                order.managedIdentitiesChangedTo(OrderIdentity.NONE, NOW).orElseThrow();
        assertThat(changed.identity().systemAssigned()).isNull();
        assertThat(changed.protection()).isEqualTo(order.protection());
        assertThat(changed.wrappedUnlockKey()).isEqualTo(order.wrappedUnlockKey());
        assertThat(changed.keyHealth().status()).isEqualTo(KeyHealth.Status.AccessLost);
        assertThat(changed.keyHealth().errorCode()).isEqualTo(ErrorCode.SsemUserErrorSystemAssignedIdentityAbsent);
    }

    @Test
    void aNewSystemAssignedPrincipalIsAccessLostUntilProven() {
        Order without = customerManaged(KeyIdentity.SYSTEM_ASSIGNED, OrderIdentity.NONE, false);
        SystemAssignedIdentity fresh = new SystemAssignedIdentity(
                "new-principal",
                SYSTEM.tenantId(),
                new UserAssignedIdentityId(SYSTEM.resourceId().value() + "-2"));
        Order changed = without.managedIdentitiesChangedTo(new OrderIdentity(fresh, Map.of()), NOW)
                .orElseThrow();
        assertThat(changed.keyHealth().status()).isEqualTo(KeyHealth.Status.AccessLost);
        assertThat(changed.keyHealth().message()).contains("new-principal");
    }

    @Test
    void keepsTheUserAssignedIdentityThatReachesTheKey() {
        Order order = customerManaged(KeyIdentity.userAssigned(UAI), withUserAssigned(), false);
        Outcome.Refused<Order> refusal = refused(order.managedIdentitiesChangedTo(withSystemAssigned(), NOW));
        assertThat(refusal.code()).isEqualTo(ErrorCode.SsemUserErrorUserAssignedIdentityAbsent);
        assertThat(refusal.target()).isEqualTo("identity.userAssignedIdentities");
    }

    @Test
    void dropsAnIdentityTheKeyDoesNotUse() {
        Order order = customerManaged(
                KeyIdentity.userAssigned(UAI), new OrderIdentity(SYSTEM, Map.of(UAI, UAI_IDENTITY)), false);
        assertThat(order.managedIdentitiesChangedTo(withUserAssigned(), NOW)
                        .orElseThrow()
                        .identity()
                        .systemAssigned())
                .isNull();
    }

    @Test
    void changesAnyIdentityWhileTheMicrosoftKeyProtects() {
        Order order = order(Stage.DeviceOrdered).withIdentity(withSystemAssigned());
        assertThat(order.managedIdentitiesChangedTo(OrderIdentity.NONE, NOW).isAllowed())
                .isTrue();
    }

    @Test
    void ifMatchAbsentOrStarMatchesAnyVersion() {
        Order stored = order(Stage.DeviceOrdered).stored(NOW, "W/\"7\"");
        assertThat(stored.matches(IfMatch.ABSENT)).isTrue();
        assertThat(stored.matches(IfMatch.of(" * "))).isTrue();
        assertThat(stored.matches(IfMatch.of("W/\"7\""))).isTrue();
        assertThat(stored.matches(IfMatch.of("W/\"6\""))).isFalse();
    }

    @Test
    void historyNamesTheKeyAndIdentityButNoKeyMaterial() {
        assertThat(Order.describe(KeyProtection.MICROSOFT_MANAGED)).isEqualTo("MicrosoftManaged");
        assertThat(Order.describe(new KeyProtection.CustomerManaged(KEY_V1, null, KeyIdentity.userAssigned(UAI), true)))
                .isEqualTo(KEY_V1.keyId() + " as " + UAI.value() + " (autoRotation)");
        assertThat(Order.describe(new KeyProtection.CustomerManaged(KEY_V1, null, KeyIdentity.SYSTEM_ASSIGNED, false)))
                .isEqualTo(KEY_V1.keyId() + " as SystemAssigned");
    }

    @Test
    void withersChangeOnlyWhatTheyName() {
        Order order = order(Stage.DeviceOrdered).stored(NOW, "etag-1");
        Order moved = order.withStage(Stage.Dispatched);
        assertThat(moved)
                .isEqualTo(new Order(
                        order.tenant(),
                        order.name(),
                        order.location(),
                        Stage.Dispatched,
                        order.identity(),
                        order.protection(),
                        order.keyHealth(),
                        order.wrappedUnlockKey(),
                        null,
                        order.createdAt(),
                        null,
                        order.updatedAt(),
                        order.etag()));
    }

    /** The jobs surface's {@code stageTime}: when the stage was reached, not the order's last write (bug bash F14). */
    @Test
    void anOrderIsInItsStageSinceTheWriteThatMovedIt() {
        Order created = order(Stage.DeviceOrdered).stored(NOW, "etag-1");
        Instant later = NOW.plusSeconds(60);
        Instant evenLater = NOW.plusSeconds(120);

        Order moved = created.withStage(Stage.Dispatched).stored(later, "etag-2");
        Order rewritten = moved.withKeyHealth(KeyHealth.healthy(evenLater)).stored(evenLater, "etag-3");
        Order movedToItsOwnStage = rewritten.withStage(Stage.Dispatched).stored(evenLater, "etag-4");

        assertThat(created.stageSince()).isEqualTo(created.createdAt());
        assertThat(moved.stageSince()).isEqualTo(later);
        assertThat(rewritten.stageSince()).isEqualTo(later);
        assertThat(rewritten.updatedAt()).isEqualTo(evenLater);
        assertThat(movedToItsOwnStage.stageSince()).isEqualTo(later);
    }

    /**
     * An identity deleted and created again under its name is another principal, whichever case the directory writes
     * its principal IDs in (review rv5 L3: an upper-case answer refused nothing, and the new principal was used).
     */
    @Test
    void anIdentityCreatedAgainUnderItsNameIsRefusedWhateverTheCaseOfItsPrincipalId() {
        String given = "6f1a2b3c-0000-4000-8000-000000000001";
        OrderIdentity attached =
                new OrderIdentity(null, Map.of(UAI, new UserAssignedIdentity(UAI, given, "client", "tenant")));
        KeyIdentity.UserAssigned key = new KeyIdentity.UserAssigned(UAI);

        for (String now :
                new String[] {"7F1A2B3C-0000-4000-8000-000000000002", "7f1a2b3c-0000-4000-8000-000000000002"}) {
            assertThat(key.refusedBy(Optional.of(new UserAssignedIdentity(UAI, now, "client", "tenant")), attached))
                    .as(now)
                    .hasValueSatisfying(
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.SsemUserErrorKekUserIdentityNotFound));
        }
        assertThat(key.refusedBy(
                        Optional.of(new UserAssignedIdentity(UAI, given.toUpperCase(Locale.ROOT), "client", "t")),
                        attached))
                .isEmpty();
    }
}
