package com.databox.cmk.order;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.util.Optional;

/**
 * What the permission audit reads of an order: how its unlock key is protected and as which identity,
 * its stage and its key health, at the store's version {@code etag}. Not the unlock key, the history
 * or the times, which the audit never needs for the orders it finds unchanged (most of them): reading
 * less is most of what a page of orders costs (issue 16). It cannot be written back; a change is made
 * to the whole order, read again and written only if its ETag is still this one.
 */
public record OrderKeyState(
        TenantId tenant,
        OrderName name,
        Stage stage,
        OrderIdentity identity,
        KeyProtection protection,
        KeyHealth keyHealth,
        String etag) {

    public OrderRef ref() {
        return new OrderRef(tenant, name);
    }

    /**
     * The key the permission audit proves for this order: its customer-managed key while the order is not in a
     * terminal stage; none for a Microsoft-managed key (the service's own) or a finished order.
     */
    public Optional<KeyProtection.CustomerManaged> auditedKey() {
        return protection instanceof KeyProtection.CustomerManaged key && !stage.isTerminal()
                ? Optional.of(key)
                : Optional.empty();
    }

    /**
     * The identity that would reach a key as {@code keyIdentity} names it: the order must have
     * that identity (whether the directory still has a user-assigned one is asked separately).
     */
    public Outcome<WrappingIdentity> wrappingIdentityFor(KeyIdentity keyIdentity) {
        return switch (keyIdentity) {
            case KeyIdentity.SystemAssigned s ->
                identity.systemAssigned() == null
                        ? Outcome.refused(
                                ErrorCode.SsemUserErrorSystemAssignedIdentityAbsent,
                                "The order '" + name
                                        + "' has no system-assigned identity; set its identity type to SystemAssigned first.",
                                "identityProperties.type")
                        : Outcome.allowed(Order.systemAssignedWrapping(identity.systemAssigned()));
            case KeyIdentity.UserAssigned u ->
                identity.findUserAssigned(u.id()).isEmpty()
                        ? Outcome.refused(
                                ErrorCode.SsemUserErrorUserAssignedIdentityAbsent,
                                "The user-assigned identity " + u.id() + " is not attached to the order '" + name
                                        + "'.",
                                "identityProperties.userAssigned.resourceId")
                        : Outcome.allowed(Order.userAssignedWrapping(u));
        };
    }
}
