package com.databox.cmk.error;

import java.time.Duration;

/**
 * {@link ErrorCode#StorageUnavailable} for a write that was sent but never answered, and that storage did
 * not answer for either when asked afterwards: it may have been stored, in full (a write is one
 * transaction). Whoever made it must not undo what it did before the write (delete an identity it
 * made for it, say) as if it had been refused; the caller is told to read before trying again.
 */
public final class UnconfirmedWriteException extends ServiceException {
    public UnconfirmedWriteException(String written, Duration retryAfter, Throwable cause) {
        super(
                ErrorCode.StorageUnavailable,
                "The service's storage stopped answering after the change to " + written
                        + " was sent, so it may have been made. Read " + written + " after "
                        + Math.max(1, retryAfter.toSeconds()) + " s to see whether it was.",
                null,
                retryAfter,
                cause,
                "Read it after the time given: the change is there in full or not at all. Make it again only if it is not"
                        + " there.");
    }
}
