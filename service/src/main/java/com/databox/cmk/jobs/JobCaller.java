package com.databox.cmk.jobs;

import com.databox.cmk.order.Caller;
import com.databox.cmk.order.TenantId;

/**
 * Who calls, as ARM's {@code systemData} and the order's history name them: {@code actor} is the
 * history's form ({@code oid:…} or {@code appid:…}), {@code type} is {@code User} or
 * {@code Application}, {@code tenantId} the token's {@code tid}, {@code objectId} the token's
 * {@code oid} (not kept: a stored record's callers have none).
 */
public record JobCaller(String actor, String type, String tenantId, String objectId) {
    /** A caller as a stored record names it. */
    public JobCaller(String actor, String type, String tenantId) {
        this(actor, type, tenantId, null);
    }

    /** The caller as the order rules see it: the jobs of a tenant are orders of that tenant (issue 12). */
    public Caller asOrderCaller() {
        return new Caller(new TenantId(tenantId), objectId, actor);
    }

    public boolean sameTenant(String otherTenantId) {
        return tenantId != null && tenantId.equalsIgnoreCase(otherTenantId);
    }
}
