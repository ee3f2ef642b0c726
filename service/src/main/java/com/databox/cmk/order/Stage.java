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

    /** A job can be cancelled until its device is dispatched (the Data Box jobs API's {@code isCancellable}). */
    public boolean isCancellable() {
        return ordinal() < Dispatched.ordinal();
    }

    /** Only a job that has ended can be deleted (the Data Box jobs API's {@code isDeletable}). */
    public boolean isDeletable() {
        return isTerminal();
    }

    /** Orders move forward only; any active order can be cancelled or aborted; a terminal one never moves. */
    public boolean canMoveTo(Stage next) {
        return !isTerminal() && next.ordinal() > ordinal();
    }
}
