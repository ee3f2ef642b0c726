package com.databox.cmk.identity;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * A credential whose token not there within its limit is the token service not answering: an outage to retry,
 * as one that answers 5xx is. Storage reached with the app's identity asks for its token inside each call,
 * whose budget is {@code cmk.storage.timeout} (5 s) with no deadline around it, while the identity endpoint's
 * client waits 60 s for an answer: a token service that took the connection and never answered held every
 * storage call for minutes (bug bash of 2026-12-06, operability F3).
 */
public final class TokensWithin implements TokenCredential {
    private final TokenCredential credential;
    private final Duration limit;

    public TokensWithin(TokenCredential credential, Duration limit) {
        this.credential = credential;
        this.limit = limit;
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return credential
                .getToken(request)
                .timeout(
                        limit,
                        Mono.error(() -> new TokenServiceUnavailable(
                                0, new TimeoutException("No token within " + limit + "."))));
    }

    @Override
    public AccessToken getTokenSync(TokenRequestContext request) {
        return getToken(request).block();
    }
}
