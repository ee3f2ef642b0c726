package com.databox.cmk.identity;

/** Azure Resource Manager refused a call or answered something unexpected. */
public final class ArmException extends RuntimeException {
    private final int status;

    ArmException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status ARM answered. */
    public int status() {
        return status;
    }
}
