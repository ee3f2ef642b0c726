package com.databox.cmk.order;

import java.util.Locale;
import java.util.regex.Pattern;

/** GUIDs as the service makes and keeps them: lower case, 8-4-4-4-12 hex digits (tenant, run and operation IDs). */
public final class Guids {
    private static final Pattern GUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Guids() {}

    public static boolean isGuid(String text) {
        return text != null && GUID.matcher(text).matches();
    }

    /** A GUID written in either case, as others write them (a caller's tenant, the directory's principal IDs). */
    public static boolean isGuidInAnyCase(String text) {
        return text != null && isGuid(text.toLowerCase(Locale.ROOT));
    }
}
