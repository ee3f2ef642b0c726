package com.databox.cmk.identity;

/**
 * The token service (the managed identity endpoint, or Entra ID for a client assertion) answered a
 * token request with 429 or 5xx after its client's retries, or did not answer: an outage, not the
 * identity's absence. An unknown or deleted identity is answered with 400 or 404 instead.
 */
public final class TokenServiceUnavailable extends RuntimeException {
    private final int status;

    public TokenServiceUnavailable(int status, Throwable cause) {
        super(
                status == 0
                        ? "The token service did not answer"
                        : "The token service answered HTTP " + status + " after retries",
                cause);
        this.status = status;
    }

    /** The token service's last answer, 0 when it gave none. */
    public int status() {
        return status;
    }
}
