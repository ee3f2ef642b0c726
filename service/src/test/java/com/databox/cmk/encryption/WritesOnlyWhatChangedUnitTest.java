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
import com.databox.cmk.order.LostRaces;
import com.databox.cmk.order.NewOrder;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.StaleOrderException;
import com.databox.cmk.testing.inmemory.InMemoryKeyVault.Permission;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.testing.inmemory.InMemoryStack.CustomerKey;
import com.databox.cmk.unlockkey.KeyUrl;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, items 6 and 7: a request that changes nothing writes nothing (no new ETag, no history
 * row, no ARM assignment), and a caller who sent no If-Match never hears 412 for a race it lost.
 */
class WritesOnlyWhatChangedUnitTest {
    private final InMemoryStack stack = new InMemoryStack();
    private final EncryptionService encryption = stack.encryption();
    private final CustomerKey key = stack.customerKey();

    @Test
    void aValidateThatFindsWhatIsStoredWritesNothing() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        int history = stack.orders.history(order.ref()).size();

        encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR);
        encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR);

        Order after = stack.stored(order.ref());
        assertThat(after.etag()).isEqualTo(order.etag());
        assertThat(stack.orders.history(order.ref())).hasSize(history);
    }

    @Test
    void aValidateThatFindsSomethingNewWritesItOnce() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        int history = stack.orders.history(order.ref()).size();
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.values());

        encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR);
        Order lost = stack.stored(order.ref());
        encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR);

        assertThat(lost.keyHealth().status()).isEqualTo(KeyHealth.Status.AccessLost);
        assertThat(stack.stored(order.ref()).etag()).isEqualTo(lost.etag());
        assertThat(stack.orders.history(order.ref())).hasSize(history + 1);
    }

    /**
     * Asking an encryption route for what the order has (a client's retry after it lost the answer) proves the
     * key again and writes nothing: each call was a new ETag, history row and event (HTTP bug bash F12).
     */
    @Test
    void aKeyChangeToWhatTheOrderHasIsProvenAndWritesNothing() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        assertThat(order.keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
        int history = stack.orders.history(order.ref()).size();
        int events = stack.events.published().size();

        Order sameKey = encryption.changeKey(
                order.ref(), RequestedKeyUrl.read(key.keyUrl()), false, null, IfMatch.ABSENT, ACTOR);
        Order sameIdentity = encryption.changeIdentity(
                order.ref(), KeyIdentity.userAssigned(key.identityId()), IfMatch.of(order.etag()), ACTOR);
        Order enabledAgain = encryption.enable(
                order.ref(),
                new KeyEncryptionKeyRequest(
                        RequestedKeyUrl.read(key.keyUrl()), null, KeyIdentity.userAssigned(key.identityId())),
                IfMatch.ABSENT,
                ACTOR);

        assertThat(List.of(sameKey, sameIdentity, enabledAgain))
                .allSatisfy(answered -> assertThat(answered.etag()).isEqualTo(order.etag()));
        assertThat(stack.stored(order.ref())).isEqualTo(order);
        assertThat(stack.orders.history(order.ref())).hasSize(history);
        assertThat(stack.events.published()).hasSize(events);
    }

    /**
     * The same on {@code /api} for the order's key in another spelling of its URL (HTTPS's port, a trailing slash):
     * change-key and enable compare the version Key Vault wrapped with, a parsed key, so they write nothing, as the
     * jobs surface's PATCH now takes it too (where it compared the URL's text).
     */
    @Test
    void aKeyChangeToWhatTheOrderHasInAnotherSpellingWritesNothing() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        int history = stack.orders.history(order.ref()).size();
        KeyIdentity identity = KeyIdentity.userAssigned(key.identityId());

        KeyUrl stored = KeyUrl.parse(key.keyUrl());
        String withPort = "https://" + stored.host() + ":443/keys/" + stored.name() + "/" + stored.version();

        for (String spelling : List.of(withPort, key.keyUrl() + "/")) {
            Order sameKey = encryption.changeKey(
                    order.ref(), RequestedKeyUrl.read(spelling), false, null, IfMatch.ABSENT, ACTOR);
            Order enabledAgain = encryption.enable(
                    order.ref(),
                    new KeyEncryptionKeyRequest(RequestedKeyUrl.read(spelling), null, identity),
                    IfMatch.ABSENT,
                    ACTOR);

            assertThat(List.of(sameKey, enabledAgain))
                    .as(spelling)
                    .allSatisfy(answered -> assertThat(answered.etag()).isEqualTo(order.etag()));
        }
        assertThat(stack.stored(order.ref())).isEqualTo(order);
        assertThat(stack.orders.history(order.ref())).hasSize(history);
    }

    @Test
    void aKeyChangeToWhatTheOrderHasStillProvesTheKey() {
        Order order = stack.customerManagedOrder(key, key.keyUrl());
        stack.keyVault.revoke(key.vaultUrl(), key.wrappingIdentity(), Permission.WrapKey);

        assertThatThrownBy(() -> encryption.changeKey(
                        order.ref(), RequestedKeyUrl.read(key.keyUrl()), false, null, IfMatch.ABSENT, ACTOR))
                .isInstanceOf(ServiceException.class);
        assertThat(stack.stored(order.ref())).isEqualTo(order);
    }

    @Test
    void theMicrosoftKeyAskedForAgainWritesNothing() {
        Order order = stack.microsoftManagedOrder();
        Order first = encryption.useMicrosoftKey(order.ref(), IfMatch.ABSENT, ACTOR);
        int history = stack.orders.history(order.ref()).size();

        Order again = encryption.useMicrosoftKey(order.ref(), IfMatch.of(first.etag()), ACTOR);

        assertThat(first.keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
        assertThat(again.etag()).isEqualTo(first.etag());
        assertThat(stack.orders.history(order.ref())).hasSize(history);
    }

    @Test
    void anIdenticalIdentityPatchOrPutWritesNothingAndAssignsNothing() {
        Order order = stack.orderWithIdentityOf(key);
        int history = stack.orders.history(order.ref()).size();
        int assignments = stack.identities.assignments();
        IdentityUpdate same = new IdentityUpdate(false, true, Set.of(key.identityId()), Set.of());

        Order patched = stack.orderService().updateIdentity(order.ref(), same, IfMatch.ABSENT, CALLER);
        Order put = stack.orderService()
                .createOrReplace(order.ref(), new NewOrder("westus", same, null), IfMatch.of(order.etag()), CALLER);

        assertThat(patched.etag()).isEqualTo(order.etag());
        assertThat(put.etag()).isEqualTo(order.etag());
        assertThat(stack.orders.history(order.ref())).hasSize(history);
        assertThat(stack.identities.assignments()).isEqualTo(assignments);
    }

    @Test
    void attachingOneMoreIdentityAssignsOnlyThatOne() {
        Order order = stack.orderWithIdentityOf(key);
        CustomerKey other = stack.customerKey();
        int assignments = stack.identities.assignments();

        stack.orderService()
                .updateIdentity(
                        order.ref(),
                        new IdentityUpdate(false, true, Set.of(key.identityId(), other.identityId()), Set.of()),
                        IfMatch.ABSENT,
                        CALLER);

        assertThat(stack.identities.assignments()).isEqualTo(assignments + 1);
    }

    @Test
    void aLostRaceWithoutIfMatchIsRunAgainOnTheNewerOrder() {
        AtomicInteger tries = new AtomicInteger();
        String result = LostRaces.retried(IfMatch.ABSENT, new OrderName("o-1"), () -> {
            if (tries.incrementAndGet() < 3) {
                throw new StaleOrderException(new OrderName("o-1"));
            }
            return "written";
        });
        assertThat(result).isEqualTo("written");
        assertThat(tries).hasValue(3);
    }

    @Test
    void racesLostOverAndOverAnswerOrderChangedConcurrentlyNever412() {
        assertThatThrownBy(() -> LostRaces.retried(IfMatch.ABSENT, new OrderName("o-1"), () -> {
                    throw new StaleOrderException(new OrderName("o-1"));
                }))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OrderChangedConcurrently);
                    assertThat(e.retryAfter()).isPositive();
                });
    }

    @Test
    void withIfMatchTheLostRaceIsThe412TheCallerAskedFor() {
        AtomicInteger tries = new AtomicInteger();
        assertThatThrownBy(() -> LostRaces.retried(IfMatch.of("\"etag-1\""), new OrderName("o-1"), () -> {
                    tries.incrementAndGet();
                    throw new StaleOrderException(new OrderName("o-1"));
                }))
                .isInstanceOf(StaleOrderException.class);
        assertThat(tries).hasValue(1);
    }
}
