package com.databox.cmk.identity;

import java.util.regex.Pattern;

/**
 * The shapes of the ARM resource IDs the service sends to ARM. Anything else is refused before a
 * request is made, so that a caller's text can never steer a request elsewhere (no {@code ..},
 * {@code ?}, {@code #}, {@code %} or {@code @}). A user-assigned identity's is a {@code UserAssignedIdentityId}, whose
 * shape is checked where it is read.
 */
final class ArmResourceIds {
    private static final String SUBSCRIPTION = "/subscriptions/[0-9A-Fa-f-]{36}";
    private static final String GROUP = "/resourceGroups/[-\\w()][-\\w.()]{0,89}";
    private static final Pattern FUNCTION_APP = Pattern.compile(
            SUBSCRIPTION + GROUP + "/providers/Microsoft\\.Web/sites/[A-Za-z0-9][A-Za-z0-9-]{0,59}",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SEGMENT = Pattern.compile("[-\\w()][-\\w.()]{0,89}");

    private ArmResourceIds() {}

    static boolean isFunctionApp(String resourceId) {
        return resourceId != null && FUNCTION_APP.matcher(resourceId).matches();
    }

    static boolean isSegment(String value) {
        return value != null && SEGMENT.matcher(value).matches();
    }
}
