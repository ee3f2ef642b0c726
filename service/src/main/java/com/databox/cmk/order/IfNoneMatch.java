package com.databox.cmk.order;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An {@code If-None-Match} precondition (RFC 9110, 13.1.2) as both surfaces read it: {@code *} matches a resource that
 * exists, a list of entity tags the version whose ETag is one of them. Tags are compared weakly, as RFC 9110 asks of
 * this header ({@code W/"x"} and {@code "x"} are one tag; the service's ETags are weak). A header sent empty names
 * nothing; each surface refuses it in its own words, as it refuses an empty {@code If-Match}.
 */
public record IfNoneMatch(List<String> opaqueTags) {
    public static final String HEADER = "If-None-Match";

    private static final String ANY = "*";

    public IfNoneMatch {
        opaqueTags = List.copyOf(opaqueTags);
    }

    /** Empty when the header is absent. */
    public static Optional<IfNoneMatch> of(String header) {
        return header == null ? Optional.empty() : Optional.of(new IfNoneMatch(IfMatch.opaqueTags(header)));
    }

    /** As {@link #of(String)}; a header sent with nothing in it is answered {@code refusal}'s exception. */
    public static Optional<IfNoneMatch> of(String header, Supplier<? extends RuntimeException> refusal) {
        Optional<IfNoneMatch> condition = of(header);
        if (condition.isPresent() && condition.get().namesNothing()) {
            throw refusal.get();
        }
        return condition;
    }

    /** Sent with nothing in it (or only empty members). */
    public boolean namesNothing() {
        return opaqueTags.isEmpty();
    }

    /** Whether it asks that the resource not exist at all. */
    public boolean any() {
        return opaqueTags.contains(ANY);
    }

    /** Whether a resource at version {@code etag} matches it. */
    public boolean matches(String etag) {
        return any() || opaqueTags.contains(IfMatch.opaque(etag));
    }
}
