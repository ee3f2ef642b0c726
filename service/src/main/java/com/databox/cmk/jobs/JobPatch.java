package com.databox.cmk.jobs;

import com.databox.cmk.order.IdentityUpdate;
import java.util.function.UnaryOperator;

/**
 * An ARM PATCH of a job: {@code tags} (JSON text; null keeps them), the new unmodelled
 * properties computed from the stored ones (identity when nothing changes), the order's
 * {@code identity} (null keeps it) and its key (null keeps it).
 */
public record JobPatch(
        String tags, UnaryOperator<String> properties, IdentityUpdate identity, KekChange keyEncryptionKey) {}
