package com.databox.cmk.api;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.OrderService;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.Optional;

/**
 * An {@code If-None-Match} header (RFC 9110, 13.1.2) on an order's routes: {@code *} matches an order that
 * exists, a list of entity tags the order whose ETag is one of them. Tags are compared weakly, as RFC 9110
 * asks of this header ({@code W/"x"} and {@code "x"} are one tag; the service's ETags are weak). A read it
 * matches is answered {@code 304 Not Modified}; a change it matches is refused {@code 412} and changes
 * nothing; an order that does not exist matches nothing. Sent empty, it is refused, as an empty
 * {@code If-Match} is.
 */
record IfNoneMatch(List<String> opaqueTags) {
    static final String HEADER = "If-None-Match";

    private static final String ANY = "*";

    /** The request's, if it sent one. */
    static Optional<IfNoneMatch> of(HttpHeaders headers) {
        return of(headers.getHeaderString(HEADER));
    }

    /** Empty when the header is absent. */
    static Optional<IfNoneMatch> of(String header) {
        if (header == null) {
            return Optional.empty();
        }
        List<String> tags = IfMatch.opaqueTags(header);
        if (tags.isEmpty()) {
            throw ServiceException.invalidRequest(
                    "The If-None-Match header is empty: send * (only if the order does not exist) or the ETags "
                            + "of versions already held, or leave the header out.",
                    HEADER);
        }
        return Optional.of(new IfNoneMatch(tags));
    }

    /**
     * Before a change: refused when the header matches the order. An order that does not exist is the route's to
     * answer ({@code 404}, or a {@code PUT}'s create), as RFC 9110 (13.2.1) ignores preconditions then.
     */
    static void checkBeforeChange(HttpHeaders headers, OrderService orders, OrderRef ref) {
        Optional<IfNoneMatch> condition = of(headers);
        if (condition.isPresent()
                && orders.find(ref).filter(condition.get()::matches).isPresent()) {
            throw condition.get().refusal(ref.name());
        }
    }

    boolean matches(Order order) {
        return opaqueTags.contains(ANY) || opaqueTags.contains(IfMatch.opaque(order.etag()));
    }

    /** Whether it asks that the order not exist at all: a create that finds it created meanwhile fails it too. */
    boolean any() {
        return opaqueTags.contains(ANY);
    }

    /** The answer to a change the header forbids: {@code 412}, nothing changed. */
    ServiceException refusal(OrderName name) {
        return new ServiceException(
                ErrorCode.PreconditionFailed,
                any()
                        ? "The order '" + name + "' exists, and If-None-Match: * asks that it not; nothing changed."
                        : "The order '" + name + "' is at a version If-None-Match names; nothing changed.",
                HEADER,
                null,
                null,
                "Leave If-None-Match out to change an existing order, or send If-Match with its current ETag.");
    }
}
