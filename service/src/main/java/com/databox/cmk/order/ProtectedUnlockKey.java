package com.databox.cmk.order;

import com.databox.cmk.unlockkey.WrappedUnlockKey;

/** A wrapped unlock key together with the configuration that wrapped it. */
public record ProtectedUnlockKey(KeyProtection protection, WrappedUnlockKey wrapped) {}
