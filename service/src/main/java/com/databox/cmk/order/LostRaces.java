package com.databox.cmk.order;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A change read the order, and another request wrote it before this one could (every write is
 * conditional on the ETag read). A caller who sent {@code If-Match} hears 412: the order is not
 * the version they saw. A caller who sent none (or {@code *}, which only asks that the order exist) asked for the change on whatever version there is,
 * so the change is made again on the newer one; if other requests keep winning, the answer is
 * {@code OrderChangedConcurrently} (409, retry later), never a 412 that the caller did not ask for
 * (issue 15, item 7).
 */
public final class LostRaces {
    public static final int ATTEMPTS = 5;
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private LostRaces() {}

    public static <T> T retried(IfMatch ifMatch, OrderName name, Supplier<T> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return change.get();
            } catch (StaleOrderException lost) {
                if (ifMatch.namesAVersion()) {
                    throw lost;
                }
                if (attempt >= ATTEMPTS) {
                    throw lostEveryTime("The order '" + name + "'", "nothing of this request was written", lost);
                }
            }
        }
    }

    /**
     * What a change without {@code If-Match} answers when {@code what} was written by other requests each of
     * the {@link #ATTEMPTS} times it was tried: 409, retry later; {@code notWritten} says what of it was not.
     */
    public static ServiceException lostEveryTime(String what, String notWritten, RuntimeException lastLoss) {
        return new ServiceException(
                ErrorCode.OrderChangedConcurrently,
                what + " was changed by " + ATTEMPTS + " other requests while this one ran; " + notWritten + ".",
                null,
                RETRY_AFTER,
                lastLoss);
    }
}
