package com.databox.cmk.order;

/**
 * A requested customer-managed key: its URL (versioned or not), vault and the identity to reach it.
 * The URL stays text until the operation checks it, because a malformed one is a finding of
 * {@code validate} (a report), not a refused request.
 */
public record KeyEncryptionKeyRequest(String kekUrl, VaultResourceId vault, KeyIdentity identity) {}
