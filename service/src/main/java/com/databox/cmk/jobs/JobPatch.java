package com.databox.cmk.jobs;

import com.databox.cmk.order.IdentityUpdate;
import java.util.function.UnaryOperator;

/**
 * An ARM PATCH of a job: {@code tags} (JSON text; null keeps them), the new unmodelled
 * properties computed from the stored ones (identity when nothing changes), the order's
 * {@code identity} (null keeps it), its key (null keeps it), and what it sent of the members a job keeps
 * ({@link ImmutableMembers}: only to be checked against the job's).
 */
public record JobPatch(
        String tags,
        UnaryOperator<String> properties,
        IdentityUpdate identity,
        KekChange keyEncryptionKey,
        ImmutableMembers immutable) {

    public JobPatch(
            String tags, UnaryOperator<String> properties, IdentityUpdate identity, KekChange keyEncryptionKey) {
        this(tags, properties, identity, keyEncryptionKey, ImmutableMembers.NONE);
    }
}
