package com.databox.cmk.encryption;

import com.databox.cmk.error.ServiceException;
import com.databox.cmk.unlockkey.WrappedUnlockKey;

/**
 * The answers of a key's Get and of a WrapKey with it, asked at once: each call's result or its
 * failure, one never hiding the other.
 *
 * @param key what Get answered, or null when it failed
 * @param getFailure why Get failed, or null
 * @param wrapped what WrapKey answered, or null when it failed
 * @param wrapFailure why WrapKey failed, or null
 */
public record KeyAndWrap(
        KeyDescription key, ServiceException getFailure, WrappedUnlockKey wrapped, ServiceException wrapFailure) {}
