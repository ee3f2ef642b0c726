package com.databox.cmk.order;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The Microsoft Entra ID tenant an order belongs to: the {@code tid} of the caller that created
 * it (issue 12). Entra ID tenant IDs are GUIDs; kept in lower case, so that one tenant is one key.
 */
public record TenantId(String value) {
    private static final Pattern GUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public TenantId {
        value = value == null ? null : value.toLowerCase(Locale.ROOT);
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("Not a tenant ID");
        }
    }

    public static boolean isWellFormed(String text) {
        return text != null && GUID.matcher(text.toLowerCase(Locale.ROOT)).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
