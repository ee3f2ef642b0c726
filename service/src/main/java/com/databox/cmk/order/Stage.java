package com.databox.cmk.order;

/** The stages of a Data Box order, in the order they are reached. */
public enum Stage {
    DeviceOrdered,
    DevicePrepared,
    Dispatched,
    Delivered,
    PickedUp,
    AtAzureDC,
    DataCopy,
    Completed,
    CompletedWithErrors,
    CompletedWithWarnings,
    Cancelled,
    Aborted;

    public boolean isTerminal() {
        return ordinal() >= Completed.ordinal();
    }

    /** Orders move forward only; any active order can be cancelled or aborted; a terminal one never moves. */
    public boolean canMoveTo(Stage next) {
        return !isTerminal() && next.ordinal() > ordinal();
    }
}
