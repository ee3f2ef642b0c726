package com.databox.cmk.jobs;

import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.KeyEncryptionKeyRequest;

/**
 * A job to create, parsed from an ARM PUT: the order's parts ({@code location}, {@code identity},
 * {@code keyEncryptionKey}: null for the Microsoft-managed key) and the ARM-only JSON text.
 */
public record JobDraft(
        String location,
        String tags,
        String sku,
        String properties,
        IdentityUpdate identity,
        KeyEncryptionKeyRequest keyEncryptionKey) {}
