package com.databox.cmk.order;

import com.databox.cmk.unlockkey.WrappedUnlockKey;
import java.time.Instant;

/**
 * A Data Box order as the service keeps it. {@code etag} is the store's version of this
 * state; every update is conditional on it.
 */
public record Order(
        OrderName name,
        String location,
        Stage stage,
        OrderIdentity identity,
        KeyEncryptionKey keyEncryptionKey,
        KeyHealth keyHealth,
        WrappedUnlockKey wrappedUnlockKey,
        Instant createdAt,
        Instant updatedAt,
        String etag) {

    public Order withIdentity(OrderIdentity newIdentity) {
        return new Order(name, location, stage, newIdentity, keyEncryptionKey, keyHealth, wrappedUnlockKey,
                createdAt, updatedAt, etag);
    }

    public Order withStage(Stage newStage) {
        return new Order(name, location, newStage, identity, keyEncryptionKey, keyHealth, wrappedUnlockKey,
                createdAt, updatedAt, etag);
    }

    public Order withKeyHealth(KeyHealth newHealth) {
        return new Order(name, location, stage, identity, keyEncryptionKey, newHealth, wrappedUnlockKey,
                createdAt, updatedAt, etag);
    }

    public Order withProtection(KeyEncryptionKey newKek, WrappedUnlockKey newWrappedKey) {
        return new Order(name, location, stage, identity, newKek, keyHealth, newWrappedKey,
                createdAt, updatedAt, etag);
    }
}
