package com.databox.cmk.order;

/**
 * Who asks for a change, as far as the order's rules need to know: the Entra ID tenant the
 * caller's token was issued in, the caller's object ID (a user's, or an application's service
 * principal for an app-only token) and how the order's history names them.
 */
public record Caller(TenantId tenant, String objectId, String actor) {
    public Caller {
        if (tenant == null || actor == null) {
            throw new IllegalArgumentException("A caller has a tenant and an actor");
        }
    }
}
