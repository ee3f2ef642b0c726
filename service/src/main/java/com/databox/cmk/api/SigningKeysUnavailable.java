package com.databox.cmk.api;

import com.databox.cmk.error.Causes;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Duration;
import java.util.Optional;

/**
 * Entra ID did not give the signing keys of a token's tenant, so the token could not be checked: an
 * outage, not a bad token. Thrown where smallrye-jwt expects a refusal, which Quarkus wraps in its
 * authentication failure; the error mappers look for it there ({@link #in}).
 */
public final class SigningKeysUnavailable extends ParseException {
    private final Duration retryAfter;

    SigningKeysUnavailable(String what, Duration retryAfter) {
        super("Entra ID did not give the token's signing keys: " + what);
        this.retryAfter = retryAfter;
    }

    /** The same outage, to be retried after {@code retryAfter}. */
    SigningKeysUnavailable(SigningKeysUnavailable outage, Duration retryAfter) {
        super(outage.getMessage());
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    /** The outage behind an authentication failure, as the contract's error, if that is what it was. */
    public static Optional<ServiceException> in(Throwable failure) {
        return Causes.find(failure, SigningKeysUnavailable.class)
                .map(unavailable -> new ServiceException(
                        ErrorCode.IdentityProviderUnavailable,
                        "Microsoft Entra ID did not give the signing keys of your token's tenant, so the token "
                                + "could not be checked; nothing was done.",
                        "Authorization",
                        unavailable.retryAfter(),
                        null));
    }
}
