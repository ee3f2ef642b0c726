package com.databox.cmk.identity;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.databox.cmk.cache.BoundedCache;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import reactor.core.publisher.Mono;

/**
 * One identity's tokens, shared by every SDK client that uses the identity: each Key Vault client's
 * bearer-token policy keeps the token it got, and the clients are pooled, so a client made later (a
 * burst of calls, an audit) asked the credential again while the others kept theirs. Once the token
 * service refused the identity (consent withdrawn from a cross-tenant application, say), the old clients
 * still passed and the new ones failed: from one call to the next validate passed and failed, the stored
 * key health flipped, and a false "access restored" event was published. Here every client gets the
 * same token until it is within {@link #REFRESH_BEFORE} of its expiry; a refresh that fails then leaves
 * the token in use until it expires, as azure-core's own policy does, so that all the clients of the
 * identity change their answer at once, when the token expires. A request with claims (a vault's
 * continuous access evaluation challenge) always asks the credential.
 */
final class SharedTokens implements TokenCredential {
    /** When a token is asked for again before it expires (azure-core's and azure-identity's offset). */
    static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

    /** Scopes and tenants one identity is asked tokens for: Key Vault's, the exchange's, a few tenants. */
    private static final int MAX_TOKENS = 16;

    private final TokenCredential credential;
    private final Clock clock;
    private final BoundedCache<String, AccessToken> tokens = new BoundedCache<>(MAX_TOKENS, Duration.ofHours(25));

    SharedTokens(TokenCredential credential, Clock clock) {
        this.credential = credential;
        this.clock = clock;
    }

    @Override
    public AccessToken getTokenSync(TokenRequestContext request) {
        if (request.getClaims() != null) {
            return credential.getTokenSync(request);
        }
        String key = key(request);
        AccessToken kept = tokens.find(key).orElse(null);
        if (fresh(kept)) {
            return kept;
        }
        try {
            AccessToken token = credential.getTokenSync(request);
            return tokens.get(key, this::fresh, k -> token);
        } catch (RuntimeException refused) {
            if (unexpired(kept)) {
                return kept;
            }
            throw refused;
        }
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        if (request.getClaims() != null) {
            return credential.getToken(request);
        }
        return Mono.defer(() -> {
            String key = key(request);
            AccessToken kept = tokens.find(key).orElse(null);
            if (fresh(kept)) {
                return Mono.just(kept);
            }
            return credential
                    .getToken(request)
                    .map(token -> tokens.get(key, this::fresh, k -> token))
                    .onErrorResume(refused -> unexpired(kept) ? Mono.just(kept) : Mono.error(refused));
        });
    }

    private boolean fresh(AccessToken token) {
        return token != null && now().isBefore(token.getExpiresAt().minus(REFRESH_BEFORE));
    }

    private boolean unexpired(AccessToken token) {
        return token != null && now().isBefore(token.getExpiresAt());
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }

    private static String key(TokenRequestContext request) {
        String tenant =
                request.getTenantId() == null ? "" : request.getTenantId().toLowerCase(Locale.ROOT);
        return String.join(" ", request.getScopes()) + "|" + tenant;
    }
}
