package com.databox.cmk.api;

import com.databox.cmk.error.Causes;
import com.databox.cmk.error.ErrorCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Limits on what a request may hold, so that hostile input is refused early and in the
 * contract's shape: the body's size (also enforced by the HTTP layer,
 * {@code quarkus.http.limits.max-body-size}), JSON nesting and string lengths, and strict JSON.
 */
public final class RequestLimits {
    /** The contract's bodies are a few hundred bytes; 64 KiB leaves room for long resource IDs. */
    public static final long MAX_BODY_BYTES = 64 * 1024;

    static final int MAX_JSON_DEPTH = 16;
    static final int MAX_JSON_STRING = 8 * 1024;

    private RequestLimits() {}

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.{1,200})'");

    /**
     * What is wrong with a body the parser refused, for the caller: where, and which member was named twice
     * when that is it. Not the parser's own message, which can quote the body.
     */
    public static String whatIsWrong(JsonProcessingException e) {
        Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        String what = duplicate.matches() ? ": '" + duplicate.group(1) + "' is named twice in one object" : "";
        // The parser's refusal of a value over a limit, which data binding may have wrapped.
        Optional<StreamConstraintsException> exceeded = Causes.find(e, StreamConstraintsException.class);
        if (exceeded.isPresent()) {
            // Which limit, not the parser's message (which is about its own settings).
            String limit = String.valueOf(exceeded.get().getOriginalMessage());
            what = limit.startsWith("String")
                    ? ": a string is longer than " + MAX_JSON_STRING + " characters"
                    : limit.contains("nesting")
                            ? ": values are nested deeper than " + MAX_JSON_DEPTH + " levels"
                            : ": a value is larger than this service reads";
        }
        String where = e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
        return what + where;
    }

    @Provider
    @PreMatching
    public static class BodySize implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getLength() > MAX_BODY_BYTES) {
                request.abortWith(Response.status(413)
                        .type(ErrorResponses.JSON)
                        .entity(ErrorJson.of(
                                ErrorCode.InvalidRequest.name(),
                                "The request body is larger than " + MAX_BODY_BYTES + " bytes.",
                                "body",
                                ErrorCode.PayloadTooLarge.resolution()))
                        .build());
            }
        }
    }

    @Singleton
    public static class JsonConstraints implements ObjectMapperCustomizer {
        @Override
        public void customize(ObjectMapper mapper) {
            mapper.getFactory()
                    .setStreamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_JSON_DEPTH)
                            .maxStringLength(MAX_JSON_STRING)
                            .build());
            // Strict JSON: a body is one value, a member is named once in its object (the last of two was
            // taken, where a proxy or a firewall reading the body may take the first), and a string field
            // takes a string only ({"location":12} was read as "12"); Jackson's defaults are lenient on all.
            mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            mapper.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
            mapper.coercionConfigFor(LogicalType.Textual)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            // And a boolean field a boolean only ({"autoRotation":"false"} was read as false, 1 as true).
            mapper.coercionConfigFor(LogicalType.Boolean)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        }
    }
}
