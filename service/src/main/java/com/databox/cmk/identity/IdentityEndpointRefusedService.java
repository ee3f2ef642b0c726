package com.databox.cmk.identity;

/**
 * The platform's managed-identity endpoint refused the service itself ({@code 401}/{@code 403}: its {@code
 * X-IDENTITY-HEADER} missing, wrong or stale), not the identity it was asked for (an unknown or deleted one is
 * answered {@code 400}): no identity of the app gets a token until the service's configuration is mended, so it is
 * the service's own fault, never the customer's. The message carries the endpoint's status and its own words, for
 * the operators' log; never the header's value. No stack: where it was thrown says nothing the message does not.
 */
public final class IdentityEndpointRefusedService extends RuntimeException {
    /** The most of the endpoint's answer that is kept: its message, not a page. */
    static final int MAX_ANSWER = 200;

    private final int status;

    public IdentityEndpointRefusedService(int status, String answer) {
        super(
                "The managed-identity endpoint refused the service's own token request (HTTP " + status + "): \""
                        + printable(answer) + "\"",
                null,
                false,
                false);
        this.status = status;
    }

    /** The endpoint's status, 401 or 403. */
    public int status() {
        return status;
    }

    /** At most {@link #MAX_ANSWER} characters, control characters and quotes as {@code ?}: it is quoted in a line. */
    private static String printable(String answer) {
        String kept = answer.length() > MAX_ANSWER ? answer.substring(0, MAX_ANSWER) + "…" : answer;
        StringBuilder printable = new StringBuilder(kept.length());
        kept.codePoints()
                .map(c -> Character.isISOControl(c) || c == '"' ? '?' : c)
                .forEach(printable::appendCodePoint);
        return printable.toString();
    }
}
