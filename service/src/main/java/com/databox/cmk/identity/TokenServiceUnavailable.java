package com.databox.cmk.identity;

/**
 * The token service (the managed identity endpoint, or Entra ID for a client assertion) answered a
 * token request with 429 or 5xx after its client's retries, or did not answer: an outage, not the
 * identity's absence. An unknown or deleted identity is answered with 400 or 404 instead.
 */
public final class TokenServiceUnavailable extends RuntimeException {
    private final int status;

    public TokenServiceUnavailable(int status, Throwable cause) {
        super(what(status), cause);
        this.status = status;
    }

    /** What the token service did, for a sentence: "the token service answered HTTP 503 after retries". */
    public String what() {
        return what(status);
    }

    private static String what(int status) {
        return status == 0
                ? "the token service did not answer"
                : "the token service answered HTTP " + status + " after retries";
    }

    /** The token service's last answer, 0 when it gave none. */
    public int status() {
        return status;
    }
}
