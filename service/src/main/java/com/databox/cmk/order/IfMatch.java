package com.databox.cmk.order;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A change's {@code If-Match} precondition (RFC 9110, 13.1.1) as both surfaces read it: {@link #ABSENT} (no header)
 * and {@code *} match any version; otherwise the header is a list of entity tags, and the version read must be one
 * of them. A tag is compared as written (the service's ETags are weak, as Table Storage's are, and a client echoes
 * them as it got them); a comma inside a quoted tag does not split the list. Absent and {@code *} differ only in
 * that {@code *} asks that the resource exist ({@link #sent()}): a PUT with it replaces and does not create, a job's
 * route answers {@code 412} rather than {@code 404} for a job that does not exist. Only a header that names a version
 * ({@link #namesAVersion()}) makes a change fail when another write lands first.
 */
public final class IfMatch {
    /** No {@code If-Match} sent: the change is made on whatever version there is (again, after a lost race). */
    public static final IfMatch ABSENT = new IfMatch(null);

    /** The header as sent, trimmed; null when none was. */
    private final String header;

    private IfMatch(String header) {
        this.header = header;
    }

    /** The request's header: null when it sent none. */
    public static IfMatch of(String header) {
        return header == null ? ABSENT : new IfMatch(header.trim());
    }

    /** Held to exactly {@code etag}. */
    public static IfMatch version(String etag) {
        return new IfMatch(Objects.requireNonNull(etag, "etag"));
    }

    /**
     * The precondition of a request's next step, once a step has read or written {@code etag}: a request that named
     * a version holds each step to the version the step before it wrote; one sent without, or with {@code *}, takes
     * each step as the resource then is (a validate or the audit writing between the steps is no reason to fail).
     */
    public IfMatch nextStepAt(String etag) {
        return namesAVersion() ? version(etag) : ABSENT;
    }

    /** Whether the request sent the header at all, {@code *} included. */
    public boolean sent() {
        return header != null;
    }

    /** False without {@code If-Match} or with {@code *}, which asks only that the resource exist. */
    public boolean namesAVersion() {
        return header != null && !"*".equals(header);
    }

    /** Whether a resource at version {@code etag} meets the precondition. */
    public boolean matches(String etag) {
        return !namesAVersion() || header.equals(etag) || tags(header).contains(etag);
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

    @Override
    public boolean equals(Object other) {
        return other instanceof IfMatch that && Objects.equals(header, that.header);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(header);
    }

    @Override
    public String toString() {
        return header == null ? "no If-Match" : "If-Match: " + header;
    }
}
