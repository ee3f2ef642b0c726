package com.databox.cmk.order;

/** What the order's own operations tell Logic Apps about (the audit has its own events beside these). */
public interface OrderEvents {
    /** The order is held before {@code wait.target()} until the customer fixes its key and resumes it. */
    void waitingForKek(Order order, KekWait wait);

    /** Events dropped (no queue configured). */
    OrderEvents NONE = (order, wait) -> {};
}
