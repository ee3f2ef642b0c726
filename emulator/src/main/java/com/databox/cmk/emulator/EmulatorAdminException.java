package com.databox.cmk.emulator;

/** An admin API call answered with an error status. */
public final class EmulatorAdminException extends RuntimeException {

    private final int status;
    private final String body;

    EmulatorAdminException(String call, int status, String body) {
        super(call + " answered " + status + ": " + body);
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }
}
