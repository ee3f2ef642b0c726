package com.databox.cmk.api;

import com.databox.cmk.error.ServiceException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * An {@code If-Match} header sent empty is refused rather than read as none: a client whose ETag was
 * unset meant a conditional write, and got an unconditional one (RFC 9110 has no empty If-Match).
 */
@Provider
public class EmptyIfMatch implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        String ifMatch = request.getHeaderString(HttpHeaders.IF_MATCH);
        if (ifMatch != null && ifMatch.isBlank()) {
            throw ServiceException.invalidRequest(
                    "The If-Match header is empty: send the ETag the resource was read with, or leave the header out.",
                    "If-Match");
        }
    }
}
