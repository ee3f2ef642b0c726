package com.databox.cmk.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.encryption.KeyDescription;
import com.databox.cmk.encryption.KeyVaultGateway;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.outbox.CmkEvent;
import com.databox.cmk.testing.PassThroughKeyVault;
import com.databox.cmk.testing.inmemory.InMemoryKeyVault.Permission;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.testing.inmemory.InMemoryStack.CustomerKey;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link VersionRotator}: moving autoRotation orders to a newer key version. */
class VersionRotatorUnitTest {
    private final InMemoryStack stack =
            new InMemoryStack(new AuditSettings(2, 4, Duration.ofMillis(200), Duration.ofHours(1)));
    private final CustomerKey key = stack.customerKey();

    private static KeyProtection.CustomerManaged customer(Order order) {
        return (KeyProtection.CustomerManaged) order.protection();
    }

    private final VersionRotator rotator = new VersionRotator(stack.keyVault, stack.encryption());

    @Test
    void movesAnAutoRotationOrderToTheNewestVersion() {
        Order order = stack.customerManagedOrder(key, key.versionlessUrl());
        String v2 = stack.keyVault.addVersion(key.vaultUrl(), key.keyName()).keyId();
        assertThat(rotator.session().rotateIfNewer(order.keyState(), customer(order), key.wrappingIdentity()))
                .isTrue();
        assertThat(customer(stack.stored(order.ref())).keyUrl().keyId()).isEqualTo(v2);
        assertThat(stack.events.published())
                .singleElement()
                .extracting(CmkEvent::event)
                .satisfies(e -> {
                    assertThat(e.type()).isEqualTo(OrderEvent.Type.KeyVersionRotated);
                    assertThat(e.kekUrl()).isEqualTo(v2);
                    assertThat(e.previousKekUrl()).isEqualTo(key.keyUrl());
                });
    }

    @Test
    void leavesAnOrderOnTheNewestVersionAlone() {
        Order order = stack.customerManagedOrder(key, key.versionlessUrl());
        assertThat(rotator.session().rotateIfNewer(order.keyState(), customer(order), key.wrappingIdentity()))
                .isFalse();
        assertThat(stack.stored(order.ref())).isEqualTo(order);
    }

    @Test
    void doesNotMoveToADisabledVersion() {
        Order order = stack.customerManagedOrder(key, key.versionlessUrl());
        stack.keyVault.addVersion(key.vaultUrl(), key.keyName()).disable();
        assertThat(rotator.session().rotateIfNewer(order.keyState(), customer(order), key.wrappingIdentity()))
                .isFalse();
    }

    @Test
    void readsTheNewestVersionOncePerKeyAndIdentityInAShard() {
        Order first = stack.customerManagedOrder(key, key.versionlessUrl());
        Order second = stack.customerManagedOrder(key, key.versionlessUrl());
        VersionRotator.Session session = rotator.session();
        session.rotateIfNewer(first.keyState(), customer(first), key.wrappingIdentity());
        int calls = stack.keyVault.calls();
        session.rotateIfNewer(second.keyState(), customer(second), key.wrappingIdentity());
        assertThat(stack.keyVault.calls()).isEqualTo(calls);
    }

    @Test
    void aNewVersionTheIdentityCannotUseLeavesTheOrderAsItWas() {
        Order order = stack.customerManagedOrder(key, key.versionlessUrl());
        stack.keyVault.addVersion(key.vaultUrl(), key.keyName());
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.WrapKey);
        assertThat(rotator.session().rotateIfNewer(order.keyState(), customer(order), key.wrappingIdentity()))
                .isFalse();
        assertThat(stack.stored(order.ref())).isEqualTo(order);
        assertThat(stack.events.published()).isEmpty();
    }

    /** A new version the identity cannot use is proven so once a shard: the shard's other orders make no call. */
    @Test
    void aNewVersionTheIdentityCannotUseIsProvenOnceAShard() {
        Order first = stack.customerManagedOrder(key, key.versionlessUrl());
        Order second = stack.customerManagedOrder(key, key.versionlessUrl());
        stack.keyVault.addVersion(key.vaultUrl(), key.keyName());
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.WrapKey);
        VersionRotator.Session session = rotator.session();
        assertThat(session.rotateIfNewer(first.keyState(), customer(first), key.wrappingIdentity()))
                .isFalse();
        int calls = stack.keyVault.calls();

        assertThat(session.rotateIfNewer(second.keyState(), customer(second), key.wrappingIdentity()))
                .isFalse();

        assertThat(stack.keyVault.calls()).as("no call for the second order").isEqualTo(calls);
        assertThat(stack.stored(second.ref())).isEqualTo(second);
    }

    /** One order whose own version was disabled cannot move, and holds up no other order of the key. */
    @Test
    void anOrderWhoseOwnVersionFailsHoldsUpNoOtherOrder() {
        Order onV1 = stack.customerManagedOrder(key, key.versionlessUrl());
        stack.keyVault.addVersion(key.vaultUrl(), key.keyName());
        Order onV2 = stack.customerManagedOrder(key, key.versionlessUrl());
        String v3 = stack.keyVault.addVersion(key.vaultUrl(), key.keyName()).keyId();
        key.version().disable();
        VersionRotator.Session session = rotator.session();

        assertThat(session.rotateIfNewer(onV1.keyState(), customer(onV1), key.wrappingIdentity()))
                .isFalse();
        assertThat(session.rotateIfNewer(onV2.keyState(), customer(onV2), key.wrappingIdentity()))
                .isTrue();

        assertThat(customer(stack.stored(onV2.ref())).keyUrl().keyId()).isEqualTo(v3);
        assertThat(stack.stored(onV1.ref())).isEqualTo(onV1);
    }

    /** Orders meeting the same new version at once wait for one proof of it, not one each. */
    @Test
    void ordersMeetingTheSameNewVersionAtOnceShareOneProof() throws Exception {
        Order first = stack.customerManagedOrder(key, key.versionlessUrl());
        Order second = stack.customerManagedOrder(key, key.versionlessUrl());
        stack.keyVault.addVersion(key.vaultUrl(), key.keyName());
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.WrapKey);
        VersionRotator.Session session = rotator.session();
        int calls = stack.keyVault.calls();
        stack.keyVault.slowCalls(Duration.ofMillis(200));

        try (ExecutorService orders = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Boolean> a = orders.submit(
                    () -> session.rotateIfNewer(first.keyState(), customer(first), key.wrappingIdentity()));
            Future<Boolean> b = orders.submit(
                    () -> session.rotateIfNewer(second.keyState(), customer(second), key.wrappingIdentity()));
            assertThat(a.get()).isFalse();
            assertThat(b.get()).isFalse();
        }

        assertThat(stack.keyVault.calls() - calls)
                .as("one Get of the newest version and one refused WrapKey")
                .isEqualTo(2);
    }

    /**
     * A key whose newest version is slow to read holds up no other key's orders: twenty other keys read
     * meanwhile (which grows the shard's map of them past its first size) all finish before it answers.
     */
    @Test
    void aKeySlowToReadHoldsUpNoOtherKey() throws Exception {
        Order slow = stack.customerManagedOrder(key, key.versionlessUrl());
        List<Order> others = IntStream.range(0, 20)
                .mapToObj(i -> stack.customerKey())
                .map(other -> stack.customerManagedOrder(other, other.versionlessUrl()))
                .toList();
        CountDownLatch slowReadStarted = new CountDownLatch(1);
        CountDownLatch othersDone = new CountDownLatch(1);
        KeyVaultGateway vault = new PassThroughKeyVault(stack.keyVault) {
            @Override
            public KeyDescription describe(KeyUrl keyUrl, WrappingIdentity identity) {
                if (keyUrl.keyId().equals(key.versionlessUrl())) {
                    slowReadStarted.countDown();
                    await(othersDone);
                }
                return super.describe(keyUrl, identity);
            }
        };
        VersionRotator.Session session = new VersionRotator(vault, stack.encryption()).session();

        try (ExecutorService orders = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Boolean> slowOrder =
                    orders.submit(() -> session.rotateIfNewer(slow.keyState(), customer(slow), key.wrappingIdentity()));
            assertThat(slowReadStarted.await(10, TimeUnit.SECONDS)).isTrue();
            Future<?> otherOrders = orders.submit(() -> others.forEach(order -> session.rotateIfNewer(
                    order.keyState(),
                    customer(order),
                    order.wrappingIdentityFor(customer(order).keyIdentity()).orElseThrow())));
            try {
                otherOrders.get(10, TimeUnit.SECONDS);
            } finally {
                othersDone.countDown();
            }
            assertThat(slowOrder.get()).isFalse();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
