package com.databox.cmk.api;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;

/**
 * Every JSON answer is typed as API.md writes it, {@code application/json; charset=utf-8}, as Azure's own services
 * write it (since 2026-12-07: Quarkus's {@code application/json;charset=UTF-8}, and a bare {@code application/json}
 * on a refused path). The same media type either way; in the contract's spelling a client that compares the header's
 * text finds what API.md promised.
 */
@ApplicationScoped
public class JsonContentType {
    /** The {@code Content-Type} of every JSON body the service writes. */
    public static final String JSON = "application/json; charset=utf-8";

    /**
     * The header's name, written in this case by every JSON answer's writer: Quarkus's Lambda adapter looks it up by
     * this exact name to tell a text body from one it must send base64-encoded (Vert.x's {@code content-type} made
     * every JSON answer base64 on AWS Lambda; a refusal before routing is not rewritten by the filter).
     */
    public static final String HEADER = "Content-Type";

    /** Before every other filter, so that each answer, however it ends, is rewritten as its headers go out. */
    private static final int PRIORITY = 3000;

    void register(@Observes Filters filters) {
        filters.register(
                context -> {
                    context.addHeadersEndHandler(ignored -> inContractSpelling(context));
                    context.next();
                },
                PRIORITY);
    }

    private static void inContractSpelling(RoutingContext context) {
        MultiMap headers = context.response().headers();
        String type = headers.get(HEADER);
        if (type != null && isJsonInUtf8(type)) {
            headers.set(HEADER, JSON);
        }
    }

    /** {@code application/json}, bare or with {@code charset=utf-8} in any case and spacing: every body is UTF-8. */
    static boolean isJsonInUtf8(String type) {
        String compact = type.replace(" ", "").replace("\t", "").toLowerCase(Locale.ROOT);
        return compact.equals("application/json") || compact.equals("application/json;charset=utf-8");
    }
}
