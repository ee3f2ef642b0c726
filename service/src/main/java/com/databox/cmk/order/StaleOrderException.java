package com.databox.cmk.order;

/** The order changed (or went away) since it was read: its ETag no longer matches. */
public class StaleOrderException extends RuntimeException {
    public StaleOrderException(OrderName name) {
        super(
                "The order '" + name
                        + "' was changed by another request; read it again and retry with its current ETag.",
                null,
                false,
                false);
    }
}
