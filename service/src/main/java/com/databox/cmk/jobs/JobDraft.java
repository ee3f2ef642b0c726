package com.databox.cmk.jobs;

import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.KeyEncryptionKeyRequest;

/**
 * A job to create, parsed from an ARM PUT: the order's parts ({@code location}, {@code identity},
 * {@code keyEncryptionKey}: null for the Microsoft-managed key) and the ARM-only JSON text.
 *
 * @param keyReadOnly the request's api-version has the details' {@code keyEncryptionKey} read-only (2020-11-01) and
 *     the body leaves it out, as that version's SDK always does: a PUT of a job that exists says nothing of its key
 */
public record JobDraft(
        String location,
        String tags,
        String sku,
        String properties,
        IdentityUpdate identity,
        KeyEncryptionKeyRequest keyEncryptionKey,
        boolean keyReadOnly) {

    public JobDraft(
            String location,
            String tags,
            String sku,
            String properties,
            IdentityUpdate identity,
            KeyEncryptionKeyRequest keyEncryptionKey) {
        this(location, tags, sku, properties, identity, keyEncryptionKey, false);
    }
}
