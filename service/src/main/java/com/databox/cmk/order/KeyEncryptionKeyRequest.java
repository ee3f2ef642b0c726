package com.databox.cmk.order;

/** A requested customer-managed key: its URL (versioned or not), vault and the identity to reach it. */
public record KeyEncryptionKeyRequest(String kekUrl, String kekVaultResourceId, KekIdentity identity) {
}
