package com.databox.cmk.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code Content-Type} and {@code Accept} read as RFC 9110 writes them, before the routes' content
 * negotiation does (which read {@code application/json ; charset="utf-8"} as another type and
 * answered 415, took a body declared in UTF-16 as UTF-8, and answered JSON to a client whose
 * {@code Accept} gave it the weight {@code q=0}). Bodies are JSON in UTF-8 (RFC 8259, 8.1): a JSON
 * body declared in another charset is refused (415), an {@code Accept} that refuses JSON answers 406.
 * A body with a content coding is refused (415), one with a transfer coding other than chunked 501. The OpenAPI
 * document and health ({@code /q/}) negotiate on their own.
 */
@Provider
@PreMatching
public class MediaTypes implements ContainerRequestFilter {
    private static final String TRANSFER_ENCODING = "Transfer-Encoding";

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getUriInfo().getRequestUri().getRawPath().startsWith("/q/")) {
            return;
        }
        Optional<Response> refusal = announcesBody(request) ? bodyRefusal(request) : Optional.empty();
        refusal.or(() -> acceptRefusal(request)).ifPresent(request::abortWith);
    }

    /**
     * How the body comes: as it is, with no content coding (a gzipped body was refused as "not valid JSON") and
     * no transfer coding but chunked (RFC 9112, 6.1: {@code gzip, chunked} had its gzip ignored); as JSON, in
     * UTF-8. A JSON {@code Content-Type} is rewritten in the one form the routes' negotiation reads.
     */
    private static Optional<Response> bodyRefusal(ContainerRequestContext request) {
        String content = request.getHeaderString(HttpHeaders.CONTENT_ENCODING);
        if (content != null && !onlyCodings(content, "identity")) {
            return Optional.of(Response.fromResponse(ErrorResponses.refusal(
                            415,
                            "A body is sent without a content coding, not '" + shown(content) + "'.",
                            HttpHeaders.CONTENT_ENCODING))
                    .header(HttpHeaders.ACCEPT_ENCODING, "identity")
                    .build());
        }
        String transfer = request.getHeaderString(TRANSFER_ENCODING);
        if (transfer != null && !onlyCodings(transfer, "chunked")) {
            return Optional.of(ErrorResponses.refusal(
                    501,
                    "A body is sent with no transfer coding but chunked, not '" + shown(transfer) + "'.",
                    TRANSFER_ENCODING));
        }
        Optional<MediaRange> type = Optional.ofNullable(request.getHeaderString(HttpHeaders.CONTENT_TYPE))
                .flatMap(MediaRange::parse)
                .filter(MediaRange::isJson);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> charset = type.get().charset();
        if (charset.isPresent() && !charset.get().toLowerCase(Locale.ROOT).equals("utf-8")) {
            return Optional.of(ErrorResponses.refusal(
                    415,
                    "A JSON body is UTF-8 (charset=utf-8), not '" + shown(charset.get()) + "'.",
                    HttpHeaders.CONTENT_TYPE));
        }
        request.getHeaders()
                .putSingle(
                        HttpHeaders.CONTENT_TYPE,
                        charset.isPresent()
                                ? MediaType.APPLICATION_JSON + ";charset=utf-8"
                                : MediaType.APPLICATION_JSON);
        return Optional.empty();
    }

    private static Optional<Response> acceptRefusal(ContainerRequestContext request) {
        List<String> accept = request.getHeaders().get(HttpHeaders.ACCEPT);
        if (accept == null || !refusesJson(String.join(",", accept))) {
            return Optional.empty();
        }
        return Optional.of(ErrorResponses.refusal(
                406,
                "This route answers application/json only, which the Accept header refuses (q=0).",
                HttpHeaders.ACCEPT));
    }

    private static boolean onlyCodings(String header, String taken) {
        for (String coding : header.split(",")) {
            String name = coding.strip();
            if (!name.isEmpty() && !name.equalsIgnoreCase(taken)) {
                return false;
            }
        }
        return true;
    }

    /** Only a body is read in a charset: a GET that names one in its Content-Type sends nothing to refuse. */
    private static boolean announcesBody(ContainerRequestContext request) {
        return request.getLength() > 0 || request.getHeaderString(TRANSFER_ENCODING) != null;
    }

    /** The most specific of the ranges that cover {@code application/json} gives it the weight 0 (RFC 9110, 12.5.1). */
    static boolean refusesJson(String accept) {
        Optional<List<MediaRange>> ranges = MediaRange.parseList(accept);
        if (ranges.isEmpty()) {
            return false; // left to the routes' content negotiation
        }
        int specific = 0;
        double quality = -1;
        for (MediaRange range : ranges.get()) {
            int specificity = range.specificityFor(MediaRange.JSON);
            if (specificity > specific) {
                specific = specificity;
                quality = range.quality();
            } else if (specificity == specific && specificity > 0) {
                quality = Math.max(quality, range.quality());
            }
        }
        return specific > 0 && quality == 0;
    }

    private static String shown(String charset) {
        String printable = charset.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }
}
