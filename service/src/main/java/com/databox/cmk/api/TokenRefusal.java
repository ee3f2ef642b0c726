package com.databox.cmk.api;

import com.databox.cmk.error.Causes;
import com.databox.cmk.error.RequestInLog;
import io.smallrye.jwt.auth.principal.ParseException;
import java.util.Optional;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Why a caller's token was refused, as the operators' {@code Refused … 401} line says it (bug bash ob1 F8: every
 * refusal read the same, and a customer quoting their request ID could not be told what was wrong with their token).
 * A class of reason, never the token nor a claim's value; the answer stays the contract's one {@code 401}
 * (API.md), which tells a caller probing tokens nothing of which check failed.
 */
public enum TokenRefusal {
    MISSING("no bearer token"),
    MALFORMED("not a signed JWT"),
    TENANT_NOT_SERVED("its tenant is not served"),
    TENANT_UNKNOWN("Entra ID has no signing keys for its tenant"),
    SIGNING_KEY_UNKNOWN("signed by a key its tenant does not publish"),
    BAD_SIGNATURE("its signature does not verify"),
    EXPIRED("expired"),
    NOT_YET_VALID("not valid yet, or issued in the future"),
    WRONG_AUDIENCE("issued for another audience"),
    WRONG_ISSUER("issued by another issuer than its tenant's"),
    TOO_LONG_LIFETIME("lives longer than Entra ID issues tokens"),
    TENANT_MISMATCH("its tid is not its issuer's tenant"),
    CLAIM_MISSING("a claim it needs is missing or malformed"),
    OTHER("refused by another check");

    private final String described;

    TokenRefusal(String described) {
        this.described = described;
    }

    String described() {
        return described;
    }

    /** Puts why {@code failure} refused the caller in the request's logging context, for its {@code Refused} line. */
    public static void noteInLog(Throwable failure) {
        Optional<RefusedToken> refused = Causes.find(failure, RefusedToken.class);
        RequestInLog.tokenRefused(
                refused.isPresent() ? refused.get().described() : in(failure).described());
    }

    /**
     * The reason in an authentication failure's causes: the service's own check's ({@link RefusedToken}), or
     * jose4j's error codes beneath smallrye-jwt's; a failure without a token refused at all is {@link #MISSING}.
     */
    static TokenRefusal in(Throwable failure) {
        Optional<RefusedToken> refused = Causes.find(failure, RefusedToken.class);
        if (refused.isPresent()) {
            return refused.get().reason();
        }
        return Causes.find(failure, ParseException.class).isPresent() ? of(failure) : MISSING;
    }

    /** The reason a token verification failed with {@code failure}, one of smallrye-jwt's or jose4j's. */
    static TokenRefusal of(Throwable failure) {
        if (Causes.find(failure, UnresolvableKeyException.class).isPresent()) {
            return SIGNING_KEY_UNKNOWN;
        }
        Optional<InvalidJwtException> invalid = Causes.find(failure, InvalidJwtException.class);
        if (invalid.isEmpty()) {
            return OTHER;
        }
        InvalidJwtException jwt = invalid.get();
        if (jwt.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || jwt.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return BAD_SIGNATURE;
        }
        if (jwt.hasExpired()) {
            return EXPIRED;
        }
        if (jwt.hasErrorCode(ErrorCodes.NOT_YET_VALID) || jwt.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
            return NOT_YET_VALID;
        }
        if (jwt.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || jwt.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return WRONG_AUDIENCE;
        }
        if (jwt.hasErrorCode(ErrorCodes.ISSUER_INVALID) || jwt.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return WRONG_ISSUER;
        }
        if (jwt.hasErrorCode(ErrorCodes.EXPIRATION_TOO_FAR_IN_FUTURE)) {
            return TOO_LONG_LIFETIME;
        }
        if (jwt.hasErrorCode(ErrorCodes.JSON_INVALID) || jwt.hasErrorCode(ErrorCodes.MALFORMED_CLAIM)) {
            return MALFORMED;
        }
        if (jwt.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)
                || jwt.hasErrorCode(ErrorCodes.ISSUED_AT_MISSING)
                || jwt.hasErrorCode(ErrorCodes.SUBJECT_MISSING)
                || jwt.hasErrorCode(ErrorCodes.TYPE_MISSING)
                || jwt.hasErrorCode(ErrorCodes.TYPE_INVALID)) {
            return CLAIM_MISSING;
        }
        return OTHER;
    }
}
