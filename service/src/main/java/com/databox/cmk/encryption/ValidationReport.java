package com.databox.cmk.encryption;

import com.databox.cmk.error.ServiceException;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of checking a key configuration against the requirements, one {@link Check}
 * per requirement. {@code wrapped} is the value wrapped (and proven to unwrap) during the
 * checks, when they all passed.
 */
public record ValidationReport(String kekUrl, List<Check> checks, WrappedUnlockKey wrapped) {
    public ValidationReport {
        checks = List.copyOf(checks);
    }

    public boolean valid() {
        return checks.stream().allMatch(c -> c.status() == Check.Status.Passed);
    }

    /** The first failed requirement, as the error a key change answers with. */
    public Optional<ServiceException> firstFailure() {
        return checks.stream().filter(Check::isFailed).findFirst().map(Check::toException);
    }
}
