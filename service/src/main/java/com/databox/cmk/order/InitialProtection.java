package com.databox.cmk.order;

/** How a new order's unlock key gets protected: wrapped, and proven by unwrapping, before the order is written. */
@FunctionalInterface
public interface InitialProtection {
    ProtectedUnlockKey protect(Order draft, byte[] unlockKey);
}
