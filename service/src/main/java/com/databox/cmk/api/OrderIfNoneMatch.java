package com.databox.cmk.api;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.IfNoneMatch;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.OrderService;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;

/**
 * An {@code If-None-Match} header on an order's routes: a read it matches is answered {@code 304 Not Modified}; a
 * change it matches is refused {@code 412} and changes nothing; an order that does not exist matches nothing. Sent
 * empty, it is refused, as an empty {@code If-Match} is.
 */
final class OrderIfNoneMatch {
    private OrderIfNoneMatch() {}

    /** The request's, if it sent one. */
    static Optional<IfNoneMatch> of(HttpHeaders headers) {
        return IfNoneMatch.of(
                headers.getHeaderString(IfNoneMatch.HEADER),
                () -> ServiceException.invalidRequest(
                        "The If-None-Match header is empty: send * (only if the order does not exist) or the ETags "
                                + "of versions already held, or leave the header out.",
                        IfNoneMatch.HEADER));
    }

    /**
     * Before a change: refused when the header matches the order. An order that does not exist is the route's to
     * answer ({@code 404}, or a {@code PUT}'s create), as RFC 9110 (13.2.1) ignores preconditions then.
     */
    static void checkBeforeChange(HttpHeaders headers, OrderService orders, OrderRef ref) {
        Optional<IfNoneMatch> condition = of(headers);
        if (condition.isPresent()
                && orders.find(ref)
                        .filter(order -> condition.get().matches(order.etag()))
                        .isPresent()) {
            throw refusal(condition.get(), ref.name());
        }
    }

    /** The answer to a change the header forbids: {@code 412}, nothing changed. */
    static ServiceException refusal(IfNoneMatch condition, OrderName name) {
        return new ServiceException(
                ErrorCode.PreconditionFailed,
                condition.any()
                        ? "The order '" + name + "' exists, and If-None-Match: * asks that it not; nothing changed."
                        : "The order '" + name + "' is at a version If-None-Match names; nothing changed.",
                IfNoneMatch.HEADER,
                null,
                null,
                "Leave If-None-Match out to change an existing order, or send If-Match with its current ETag.");
    }
}
