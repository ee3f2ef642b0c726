package com.databox.cmk.api;

import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.IfMatch;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An {@code If-Match} header as RFC 9110 reads it, before any resource does: several header lines are one
 * comma-separated list (section 5.3), so they are joined into the one value the resources read (they read
 * the first line only, and a second line's version was never compared: a stale ETag after an empty line
 * wrote unconditionally); empty members of the list are left out (section 5.6.1). A header with nothing
 * in it, or only empty members ({@code ,}), is refused rather than read as none: a client whose ETag was unset meant a conditional write,
 * and got an unconditional one (RFC 9110 has no empty If-Match).
 */
@Provider
public class EmptyIfMatch implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        List<String> lines = request.getHeaders().get(HttpHeaders.IF_MATCH);
        if (lines == null || lines.isEmpty()) {
            return;
        }
        String list =
                lines.stream().map(String::trim).filter(line -> !line.isEmpty()).collect(Collectors.joining(", "));
        if (IfMatch.tags(list).isEmpty()) { // also "," and ", ,": members all empty name no ETag
            throw refusal();
        }
        request.getHeaders().put(HttpHeaders.IF_MATCH, List.of(list));
    }

    /** The answer to an {@code If-Match} with nothing in it. */
    public static ServiceException refusal() {
        return ServiceException.invalidRequest(
                "The If-Match header is empty: send the ETag the resource was read with, or leave the header out.",
                "If-Match");
    }
}
