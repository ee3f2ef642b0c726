package com.databox.cmk.order;

import java.util.Locale;

/**
 * The Microsoft Entra ID tenant an order belongs to: the {@code tid} of the caller that created
 * it (issue 12). Entra ID tenant IDs are GUIDs; kept in lower case, so that one tenant is one key.
 */
public record TenantId(String value) {
    public TenantId {
        value = value == null ? null : value.toLowerCase(Locale.ROOT);
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("Not a tenant ID");
        }
    }

    public static boolean isWellFormed(String text) {
        return Guids.isGuidInAnyCase(text);
    }

    @Override
    public String toString() {
        return value;
    }
}
