package com.databox.cmk.order;

import static com.databox.cmk.testing.inmemory.InMemoryStack.CALLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issue 12's rules on in-memory ports: orders within their tenant, and the identities a caller may attach. */
class TenancyUnitTest {
    private static final TenantId OTHER = new TenantId(UUID.randomUUID().toString());
    private static final Caller STRANGER = new Caller(OTHER, UUID.randomUUID().toString(), "oid:stranger");
    /** Of the stack's tenant, with no Azure role on any identity. */
    private static final Caller COLLEAGUE =
            new Caller(InMemoryStack.TENANT, UUID.randomUUID().toString(), "oid:colleague");

    private final InMemoryStack stack = new InMemoryStack();
    private final OrderService service = stack.orderService();

    private static ErrorCode codeOf(Throwable e) {
        return ((ServiceException) e).code();
    }

    private static IdentityUpdate attach(String resourceId) {
        return new IdentityUpdate(false, true, Set.of(new UserAssignedIdentityId(resourceId)), Set.of());
    }

    @Test
    void anOrderOfAnotherTenantIsNotFoundByItsName() {
        Order order = stack.microsoftManagedOrder();
        OrderRef elsewhere = new OrderRef(OTHER, order.name());
        assertThatThrownBy(() -> service.get(elsewhere))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.OrderNotFound));
        assertThatThrownBy(() -> service.revealUnlockKey(elsewhere))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.OrderNotFound));
        assertThatThrownBy(() -> stack.encryption().useMicrosoftKey(elsewhere, IfMatch.ABSENT, "x"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.OrderNotFound));
        assertThat(service.list(OTHER, 100, null).orders()).isEmpty();
        assertThat(service.list(InMemoryStack.TENANT, 100, null).orders())
                .extracting(Order::name)
                .contains(order.name());
    }

    @Test
    void namesArePerTenant() {
        Order mine = stack.microsoftManagedOrder();
        Order theirs = service.createOrReplace(
                new OrderRef(OTHER, mine.name()), new NewOrder("eastus", null, null), IfMatch.ABSENT, STRANGER);
        assertThat(theirs.tenant()).isEqualTo(OTHER);
        assertThat(stack.stored(mine.ref())).isEqualTo(mine);
    }

    @Test
    void aCallerActsOnlyInItsOwnTenant() {
        assertThatThrownBy(() -> service.createOrReplace(
                        InMemoryStack.newName(), new NewOrder("westus", null, null), IfMatch.ABSENT, STRANGER))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Mutation testing (mt1): a replace (PUT with If-Match) of another tenant's order is refused as a create is;
     * removing the tenant check of the replace path went unnoticed (it is the only one on that path).
     */
    @Test
    void aCallerReplacesOnlyOrdersOfItsOwnTenant() {
        Order mine = stack.microsoftManagedOrder();

        assertThatThrownBy(() -> service.createOrReplace(
                        mine.ref(), new NewOrder("westus", IdentityUpdate.NONE, null), IfMatch.of("*"), STRANGER))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(stack.stored(mine.ref())).isEqualTo(mine);
    }

    @Test
    void attachingNeedsTheCallersOwnAssignPermissionAndRevealsNothingWithoutIt() {
        InMemoryStack.CustomerKey key = stack.customerKey();
        Order order = service.createOrReplace(
                new OrderRef(InMemoryStack.TENANT, InMemoryStack.newName().name()),
                new NewOrder("westus", null, null),
                IfMatch.ABSENT,
                COLLEAGUE);
        int lookups = stack.identities.lookups();
        for (String id : java.util.List.of(
                key.identity().resourceId().value(),
                key.identity().resourceId().value().replace("uai-", "gone-"))) {
            assertThatThrownBy(() -> service.updateIdentity(order.ref(), attach(id), IfMatch.ABSENT, COLLEAGUE))
                    .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.LinkedAuthorizationFailed))
                    .hasMessageContaining("assign/action");
        }
        assertThat(stack.identities.lookups())
                .as("the directory is not even asked")
                .isEqualTo(lookups);
        assertThat(stack.identities.isUsable(key.identity().resourceId())).isFalse();
        assertThat(stack.stored(order.ref())).isEqualTo(order);

        stack.identityUse.grant(
                COLLEAGUE.objectId(), key.identity().resourceId().value());
        assertThat(service.updateIdentity(
                                order.ref(), attach(key.identity().resourceId().value()), IfMatch.ABSENT, COLLEAGUE)
                        .identity()
                        .userAssigned())
                .hasSize(1);
    }

    @Test
    void anotherOrdersSystemAssignedIdentityIsNeverAttachable() {
        Order victim = service.createOrReplace(
                InMemoryStack.newName(),
                new NewOrder("westus", new IdentityUpdate(true, false, Set.of(), Set.of()), null),
                IfMatch.ABSENT,
                CALLER);
        Order own = stack.microsoftManagedOrder();
        // The caller may assign every identity (as Managed Identity Operator on the group): still refused.
        assertThatThrownBy(() -> service.updateIdentity(
                        own.ref(),
                        attach(victim.identity().systemAssigned().resourceId().value()),
                        IfMatch.ABSENT,
                        CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.LinkedAuthorizationFailed))
                // The same answer as for any identity the caller may not assign: nothing about whose it is.
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("managed by the service")
                        .doesNotContain("tenant"));
        assertThat(stack.stored(own.ref())).isEqualTo(own);
    }

    @Test
    void anIdentityOfAnotherTenantIsNotAttachable() {
        UserAssignedIdentity foreign = stack.identities.createUserAssigned(
                "uai-foreign-" + UUID.randomUUID().toString().substring(0, 8), OTHER.value());
        Order own = stack.microsoftManagedOrder();
        assertThatThrownBy(() -> service.updateIdentity(
                        own.ref(), attach(foreign.resourceId().value()), IfMatch.ABSENT, CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.LinkedAuthorizationFailed));
        assertThat(stack.identities.isUsable(foreign.resourceId())).isFalse();
    }

    @Test
    void theRuleOnTheOrder() {
        UserAssignedIdentityId x = new UserAssignedIdentityId("/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a"
                + "/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/x-1");
        UserAssignedIdentity mine = new UserAssignedIdentity(x, "p", "c", InMemoryStack.TENANT.value());
        assertThat(Order.attachable(mine, InMemoryStack.TENANT).isAllowed()).isTrue();
        assertThat(Order.attachable(mine, OTHER).isAllowed()).isFalse();
        assertThat(Order.attachable(
                                new UserAssignedIdentity(x, "p", "c", InMemoryStack.TENANT.value(), true),
                                InMemoryStack.TENANT)
                        .isAllowed())
                .isFalse();
        assertThat(Order.attachable(new UserAssignedIdentity(x, "p", "c", null), InMemoryStack.TENANT)
                        .isAllowed())
                .isFalse();
    }

    @Test
    void messagesNameASystemAssignedIdentityAsTheOrdersNotByItsResourceId() {
        Order order = service.createOrReplace(
                InMemoryStack.newName(),
                new NewOrder("westus", new IdentityUpdate(true, false, Set.of(), Set.of()), null),
                IfMatch.ABSENT,
                CALLER);
        String backing = order.identity().systemAssigned().resourceId().value();
        var identity = order.wrappingIdentityFor(KeyIdentity.SYSTEM_ASSIGNED).orElseThrow();
        assertThat(((com.databox.cmk.unlockkey.WrappingIdentity.ManagedIdentity) identity).shownAs())
                .contains("system-assigned")
                .doesNotContain(backing);
    }
}
