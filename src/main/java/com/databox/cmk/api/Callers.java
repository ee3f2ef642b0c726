package com.databox.cmk.api;

/** Who is calling, as recorded in an order's history. */
final class Callers {
    /** Until callers are authenticated (a later issue), history records no one in particular. */
    static final String ANONYMOUS = "anonymous";

    private Callers() {
    }
}
