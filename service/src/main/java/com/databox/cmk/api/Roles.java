package com.databox.cmk.api;

/** The service's app roles (Microsoft Entra ID app roles, in the token's "roles" claim). */
final class Roles {
    static final String ORDERS_READ = "Orders.Read";
    static final String ORDERS_WRITE = "Orders.Write";
    static final String ENCRYPTION_MANAGE = "Encryption.Manage";
    /** Only this role may reveal a device password. */
    static final String CREDENTIALS_READ = "Credentials.Read";

    static final String AUDIT_RUN = "Audit.Run";

    private Roles() {}
}
