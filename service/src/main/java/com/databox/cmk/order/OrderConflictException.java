package com.databox.cmk.order;

/** An order with this name already exists. */
public class OrderConflictException extends RuntimeException {
    public OrderConflictException(OrderName name) {
        super("The order '" + name + "' already exists.", null, false, false);
    }
}
