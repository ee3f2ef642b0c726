package com.databox.cmk.error;

import java.util.Optional;

/** The cause chain of a failure, as the SDKs and data binding wrap what actually went wrong. */
public final class Causes {
    private Causes() {}

    /** The first throwable of {@code type} in {@code failure}'s cause chain, {@code failure} itself included. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return Optional.of(type.cast(cause));
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }
}
