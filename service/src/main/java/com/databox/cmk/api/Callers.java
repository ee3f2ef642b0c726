package com.databox.cmk.api;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling, as an order's history records it: the token's object id, or its client app id. */
final class Callers {
    private Callers() {}

    static String of(JsonWebToken token) {
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
