package com.databox.cmk.storage;

/**
 * A stored order row the service cannot read again: a column it wrote holds what no release writes (a hand
 * edit, storage corruption). The service's fault, not the caller's: read alone it stays a 500
 * {@code InternalError}, as any {@link IllegalStateException}; a reader of many rows (the audit's key states)
 * leaves it out and names it, so that one row hides no other. Its message and cause name the column, never
 * its value, which may be key material: a read alone logs them.
 */
final class DamagedRowException extends IllegalStateException {
    private final String column;

    DamagedRowException(String column, String message, Throwable cause) {
        super(message, cause);
        this.column = column;
    }

    /** The column that cannot be read (never its value: it may be key material). */
    String column() {
        return column;
    }
}
