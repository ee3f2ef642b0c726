package com.databox.cmk.api;

import com.databox.cmk.order.TenantId;
import io.smallrye.jwt.auth.principal.ParseException;
import java.util.Optional;

/**
 * A caller's token refused by {@link MultiTenantTokens}, with why ({@link TokenRefusal}) and the tenant its
 * {@code tid} claims when that is a tenant ID: the operators' line names both, never the token.
 */
final class RefusedToken extends ParseException {
    private final TokenRefusal reason;
    private final TenantId claimedTenant;

    RefusedToken(TokenRefusal reason, String message) {
        this(reason, message, null, null);
    }

    RefusedToken(TokenRefusal reason, String message, TenantId claimedTenant, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.claimedTenant = claimedTenant;
    }

    /** The same refusal, naming the tenant the token claims (when its {@code tid} is a tenant ID). */
    RefusedToken claiming(Optional<TenantId> tenant) {
        return tenant.isEmpty() || claimedTenant != null
                ? this
                : new RefusedToken(reason, getMessage(), tenant.get(), getCause());
    }

    TokenRefusal reason() {
        return reason;
    }

    /** {@code "expired; its tid claims tenant t"}, or the reason alone. */
    String described() {
        return reason.described() + (claimedTenant == null ? "" : "; its tid claims tenant " + claimedTenant.value());
    }
}
