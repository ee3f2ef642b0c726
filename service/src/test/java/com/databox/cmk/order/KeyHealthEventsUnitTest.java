package com.databox.cmk.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.unlockkey.KeyUrl;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@link ChangeEvents#KEY_HEALTH}: which changes of the key health Logic Apps hear about, naming which key; and
 * {@link ChangeEvents#KEY_VERSION}: which moves to another key version.
 */
class KeyHealthEventsUnitTest {
    private static final Instant NOW = Instant.parse("2026-12-04T02:00:00Z");

    private final InMemoryStack stack = new InMemoryStack();
    private final InMemoryStack.CustomerKey key = stack.customerKey();

    private static KeyHealth lost() {
        return KeyHealth.accessLost(ErrorCode.SsemUserErrorEncryptionKeyDisabled, "disabled", NOW);
    }

    @Test
    void accessLostAndRegainedOfTheCustomersKeyAreEvents() {
        Order healthy = stack.customerManagedOrder(key, key.keyUrl());
        Order lost = healthy.withKeyHealth(lost());

        assertThat(ChangeEvents.KEY_HEALTH.of(healthy, lost)).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(OrderEvent.Type.KeyAccessLost);
            assertThat(e.kekUrl()).isEqualTo(key.keyUrl());
            assertThat(e.errorCode()).isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyDisabled);
            assertThat(e.time()).isEqualTo(NOW);
        });
        assertThat(ChangeEvents.KEY_HEALTH.of(lost, lost.withKeyHealth(KeyHealth.healthy(NOW))))
                .extracting(OrderEvent::type)
                .containsExactly(OrderEvent.Type.KeyAccessRestored);
        assertThat(ChangeEvents.KEY_HEALTH.of(
                        lost,
                        lost.withKeyHealth(
                                KeyHealth.accessLost(ErrorCode.SsemUserErrorKeyDetailsNotFound, "gone", NOW))))
                .as("another finding, still lost")
                .isEmpty();
    }

    @Test
    void theMicrosoftManagedKeysHealthIsNoEventAndARevertNamesTheCustomersKey() {
        Order microsoft = stack.microsoftManagedOrder();
        assertThat(ChangeEvents.KEY_HEALTH.of(microsoft, microsoft.withKeyHealth(lost())))
                .isEmpty();

        Order lost = stack.customerManagedOrder(key, key.keyUrl()).withKeyHealth(lost());
        Order reverted = lost.withProtection(KeyProtection.MICROSOFT_MANAGED, microsoft.wrappedUnlockKey())
                .withKeyHealth(KeyHealth.healthy(NOW));
        assertThat(ChangeEvents.KEY_HEALTH.of(lost, reverted)).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(OrderEvent.Type.KeyAccessRestored);
            assertThat(e.kekUrl()).isEqualTo(key.keyUrl());
        });
    }

    @Test
    void onlyAMoveToAnotherVersionOfTheSameFollowedKeyIsARotation() {
        Order following = stack.customerManagedOrder(key, key.versionlessUrl());
        KeyProtection.CustomerManaged was = (KeyProtection.CustomerManaged) following.protection();
        KeyUrl v2 = was.keyUrl().withVersion("0123456789abcdef0123456789abcdef");
        Order moved = following
                .withProtection(
                        new KeyProtection.CustomerManaged(v2, was.vault(), was.keyIdentity(), true),
                        following.wrappedUnlockKey())
                .withKeyHealth(KeyHealth.healthy(NOW));

        assertThat(ChangeEvents.KEY_VERSION.of(following, moved))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.type()).isEqualTo(OrderEvent.Type.KeyVersionRotated);
                    assertThat(e.kekUrl()).isEqualTo(v2.keyId());
                    assertThat(e.previousKekUrl()).isEqualTo(was.keyUrl().keyId());
                    assertThat(e.time()).isEqualTo(NOW);
                });
        assertThat(ChangeEvents.KEY_VERSION.of(following, following.withKeyHealth(KeyHealth.healthy(NOW))))
                .as("the same version")
                .isEmpty();
        Order pinned = following.withProtection(
                new KeyProtection.CustomerManaged(v2, was.vault(), was.keyIdentity(), false),
                following.wrappedUnlockKey());
        assertThat(ChangeEvents.KEY_VERSION.of(following, pinned))
                .as("the customer named the version")
                .isEmpty();
        Order otherKey = following.withProtection(
                new KeyProtection.CustomerManaged(
                        KeyUrl.parse(was.keyUrl().vaultUrl() + "/keys/other/fedcba9876543210fedcba9876543210"),
                        was.vault(),
                        was.keyIdentity(),
                        true),
                following.wrappedUnlockKey());
        assertThat(ChangeEvents.KEY_VERSION.of(following, otherKey))
                .as("another key")
                .isEmpty();
        assertThat(ChangeEvents.KEY_VERSION.of(stack.microsoftManagedOrder(), moved))
                .as("enabled from the Microsoft-managed key")
                .isEmpty();
    }
}
