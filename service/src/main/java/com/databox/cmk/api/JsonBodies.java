package com.databox.cmk.api;

/**
 * Request bodies as every route reads them: as bytes, which the JSON reader decodes (UTF-8, a byte order mark
 * taken, bytes that are not UTF-8 refused), never as text the HTTP layer decoded, which replaced bad bytes
 * with U+FFFD and refused the byte order mark.
 */
public final class JsonBodies {
    private JsonBodies() {}

    /** No body, or only JSON white space. */
    public static boolean isBlank(byte[] body) {
        if (body == null) {
            return true;
        }
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
