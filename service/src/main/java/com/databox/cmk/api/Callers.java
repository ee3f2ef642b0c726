package com.databox.cmk.api;

import com.databox.cmk.order.Caller;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.TenantId;
import io.quarkus.security.UnauthorizedException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling: the tenant of the token ({@code tid}), which every order route acts within
 * (issue 12), and how an order's history names the caller: the token's object id, or its client
 * app id. An app-only token ({@code idtyp=app}) acts for its own tenant like any other.
 */
public final class Callers {
    private Callers() {}

    public static Caller of(JsonWebToken token) {
        return new Caller(tenant(token), token.getClaim("oid"), actor(token));
    }

    /** The caller's order of that name: always within the caller's tenant. */
    public static OrderRef order(JsonWebToken token, String orderName) {
        return new OrderRef(tenant(token), new OrderName(orderName));
    }

    /** The token was validated against its tenant's issuer, so {@code tid} is there; without it nothing is served. */
    public static TenantId tenant(JsonWebToken token) {
        String tid = token == null ? null : token.getClaim("tid");
        if (!TenantId.isWellFormed(tid)) {
            throw new UnauthorizedException("The token names no tenant");
        }
        return new TenantId(tid);
    }

    public static String actor(JsonWebToken token) {
        if (token == null || token.getRawToken() == null) {
            return "unknown";
        }
        String oid = token.getClaim("oid");
        if (oid != null) {
            return "oid:" + oid;
        }
        String appId = token.getClaim("azp") != null ? token.getClaim("azp") : token.getClaim("appid");
        return appId != null ? "appid:" + appId : "sub:" + token.getSubject();
    }
}
