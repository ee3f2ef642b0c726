package com.databox.cmk.order;

/** What a caller gives to create an order; {@code identity} may be null (no identity). */
public record NewOrder(String location, IdentityUpdate identity, KeyEncryptionKeyRequest keyEncryptionKey) {
}
