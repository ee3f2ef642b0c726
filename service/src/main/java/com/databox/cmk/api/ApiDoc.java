package com.databox.cmk.api;

/** Descriptions shared by the OpenAPI annotations of the resources (API.md's error codes). */
final class ApiDoc {
    static final String ETAG = "The order's ETag; send it in If-Match to change the order only as it is now.";
    static final String RETRY_AFTER = "Seconds to wait before retrying.";
    static final String ORDER_NOT_FOUND = "OrderNotFound: there is no such order.";
    static final String ALREADY_EXISTS = "OrderAlreadyExists: the order exists and no If-Match was given.";
    /** Added to the 409 of each route that can make a system-assigned identity. */
    static final String OR_SYSTEM_ASSIGNED_LIMIT = " Or SystemAssignedIdentityLimitReached: the tenant's orders"
            + " hold as many system-assigned identities as the service makes for one tenant; nothing changed.";

    static final String TERMINAL_STAGE =
            "OrderInTerminalStage: the order is finished; its encryption can no longer change.";
    static final String PRECONDITION_FAILED =
            "PreconditionFailed: If-Match is not the order's current ETag, or If-None-Match matches the order; "
                    + "nothing changed.";
    static final String TOO_LARGE = "InvalidRequest: the request body is too large.";
    static final String UNSUPPORTED_MEDIA_TYPE = "InvalidRequest: send the body as application/json.";
    static final String KEY_VAULT_UNAVAILABLE = "KeyVaultUnavailable: Key Vault throttled or failed after retries; "
            + "nothing changed. Retry-After is set.";
    static final String KEY_REFUSED = "InvalidRequest or one of the Ssem… codes of API.md: the request, or the key "
            + "configuration it names, is not usable; the message names the cause and nothing changed.";

    static final String CHANGED_CONCURRENTLY = "OrderChangedConcurrently: other requests changed the order five "
            + "times while this one ran (no If-Match, or *); nothing of it was written; retry after Retry-After.";
    /** Added to each route's own 409: any change without If-Match (or with *) can lose its races five times. */
    static final String OR_CHANGED_CONCURRENTLY = " Or " + CHANGED_CONCURRENTLY;

    private ApiDoc() {}
}
