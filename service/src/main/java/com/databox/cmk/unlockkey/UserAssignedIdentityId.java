package com.databox.cmk.unlockkey;

import com.databox.cmk.error.ServiceException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The ARM resource ID of a user-assigned managed identity. One strict shape, checked where a
 * caller's text enters, so that it can never steer a request to ARM elsewhere (no {@code ..},
 * {@code ?}, {@code #}, {@code %} or {@code @}). ARM resource IDs are case-insensitive, and so
 * is equality here.
 */
public record UserAssignedIdentityId(String value) {
    private static final String SUBSCRIPTION = "/subscriptions/[0-9A-Fa-f-]{36}";
    private static final String GROUP = "/resourceGroups/[-\\w()][-\\w.()]{0,89}";
    private static final Pattern SHAPE = Pattern.compile(
            SUBSCRIPTION + GROUP
                    + "/providers/Microsoft\\.ManagedIdentity/userAssignedIdentities/[A-Za-z0-9][A-Za-z0-9_-]{2,127}",
            Pattern.CASE_INSENSITIVE);

    public UserAssignedIdentityId {
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("Not a user-assigned identity resource ID");
        }
    }

    /** @param target the request field the text came from, named in the error */
    public static UserAssignedIdentityId parse(String text, String target) {
        if (!isWellFormed(text)) {
            throw ServiceException.invalidRequest(
                    "'" + abbreviate(text) + "' is not the resource ID of a "
                            + "user-assigned identity (/subscriptions/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/…).",
                    target);
        }
        return new UserAssignedIdentityId(text);
    }

    public static boolean isWellFormed(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UserAssignedIdentityId id && value.equalsIgnoreCase(id.value);
    }

    @Override
    public int hashCode() {
        return value.toLowerCase(Locale.ROOT).hashCode();
    }

    @Override
    public String toString() {
        return value;
    }

    /**
     * The text as the caller sent it, its middle left out past 300 characters: a resource ID is usually wrong at
     * its end (the name), which a cut after its first characters never showed.
     */
    public static String abbreviate(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > 300 ? value.substring(0, 120) + "…" + value.substring(value.length() - 120) : value;
    }
}
