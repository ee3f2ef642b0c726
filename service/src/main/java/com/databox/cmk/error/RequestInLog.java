package com.databox.cmk.error;

import org.jboss.logging.MDC;

/**
 * The request a log line is written for, as the HTTP edge and the token check put it in the logging
 * context: its method and path (which name the order or job), and the caller's tenant once its token is
 * verified. Read only by the lines that need it (a failure, a refusal), so that a request that succeeds
 * pays for the two puts and nothing else.
 */
public final class RequestInLog {
    public static final String METHOD = "method";
    public static final String PATH = "path";
    public static final String TENANT = "tenant";
    public static final String TOKEN_REFUSED = "tokenRefused";

    private static final int MAX_LOGGED_PATH = 200;

    private RequestInLog() {}

    /** {@code " in GET /api/orders/o1 (tenant t)"}, as much of it as is known; empty outside a request. */
    public static String described() {
        Object method = MDC.get(METHOD);
        String request = method == null ? "" : " in " + method + " " + loggable((String) MDC.get(PATH));
        return request + tenantNamed();
    }

    /** {@code " (tenant t)"} once the caller's token is verified; empty before. */
    public static String tenantNamed() {
        Object tenant = MDC.get(TENANT);
        return tenant == null ? "" : " (tenant " + tenant + ")";
    }

    /** {@code " (token refused: expired)"} once the caller's token was refused; empty before. */
    public static String tokenRefusalNamed() {
        Object why = MDC.get(TOKEN_REFUSED);
        return why == null ? "" : " (token refused: " + why + ")";
    }

    /** Why the caller's token was refused: a class of reason, and the tenant its {@code tid} claims; never the token. */
    public static void tokenRefused(String why) {
        MDC.put(TOKEN_REFUSED, why);
    }

    /** The tenant of the caller, once its token is verified. */
    public static void caller(String tenant) {
        MDC.put(TENANT, tenant);
    }

    /** Bounded, and without characters that could forge log lines. */
    public static String loggable(String path) {
        if (path == null) {
            return "";
        }
        String shown = path.length() > MAX_LOGGED_PATH ? path.substring(0, MAX_LOGGED_PATH) + "…" : path;
        return shown.replaceAll("[\\p{Cntrl}]", "?");
    }
}
