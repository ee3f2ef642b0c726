package com.databox.cmk.order;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@code If-Match} header (RFC 9110, 13.1.1) as both surfaces read it: absent or {@code *}
 * matches any version; otherwise it is a list of entity tags, and the version read must be one of
 * them. A tag is compared as written (the service's ETags are weak, as Table Storage's are, and a
 * client echoes them as it got them); a comma inside a quoted tag does not split the list.
 */
public final class IfMatch {
    private IfMatch() {}

    public static boolean matches(String ifMatch, String etag) {
        if (!namesAVersion(ifMatch)) {
            return true;
        }
        String header = ifMatch.trim();
        return header.equals(etag) || tags(header).contains(etag);
    }

    /** The entity tags of a list header ({@code If-Match}, {@code If-None-Match}) as written, empty members left out. */
    public static List<String> tags(String header) {
        List<String> tags = new ArrayList<>();
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i <= header.length(); i++) {
            if (i == header.length() || (header.charAt(i) == ',' && !quoted)) {
                String tag = header.substring(start, i).trim();
                if (!tag.isEmpty()) {
                    tags.add(tag);
                }
                start = i + 1;
            } else if (header.charAt(i) == '"') {
                quoted = !quoted;
            }
        }
        return tags;
    }

    /**
     * The entity tags of an {@code If-None-Match} list, each as {@link #opaque}: that header's tags are compared
     * weakly (RFC 9110, 13.1.2), as both surfaces read it.
     */
    public static List<String> opaqueTags(String header) {
        return tags(header).stream().map(IfMatch::opaque).toList();
    }

    /** A tag without its weakness mark: {@code W/"x"} and {@code "x"} are one tag in a weak comparison. */
    public static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    /** False without {@code If-Match} or with {@code *}, which asks only that the resource exist. */
    public static boolean namesAVersion(String ifMatch) {
        return ifMatch != null && !"*".equals(ifMatch.trim());
    }
}
