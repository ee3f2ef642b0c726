package com.databox.cmk.api;

import com.databox.cmk.order.TenantId;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The tenant of the caller of the request being served, as the routes take it ({@link Callers#tenant}): read
 * through the request context, as the request's deadline is ({@code edge/RequestDeadlines}); outside a request, or
 * for a caller with no token naming a tenant, there is none. The Key Vault gateway counts a tenant's waiting calls
 * by it (bug bash nn1 F1).
 */
public final class RequestTenants {
    private RequestTenants() {}

    public static Optional<TenantId> current() {
        ArcContainer container = Arc.container();
        if (container == null || !container.requestContext().isActive()) {
            return Optional.empty();
        }
        String tid = container.instance(JsonWebToken.class).get().getClaim("tid");
        return TenantId.isWellFormed(tid) ? Optional.of(new TenantId(tid)) : Optional.empty();
    }
}
