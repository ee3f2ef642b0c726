package com.databox.cmk.audit;

import java.time.Instant;

/**
 * What one shard found; writing it again (a redelivered message) changes nothing. {@code notAudited}: the
 * orders among {@code ordersChecked} that got no verdict this run (Key Vault or Resource Manager throttling
 * or not answering, an order changed meanwhile): they keep their health until the next run. {@code unreadable}:
 * the orders of its page, not among {@code ordersChecked}, whose stored rows cannot be read again (damaged).
 */
public record ShardResult(
        int index,
        Instant finishedAt,
        int ordersChecked,
        int healthy,
        int accessLost,
        int rotated,
        int notAudited,
        int unreadable) {
    /** A shard whose page held no damaged row. */
    public ShardResult(
            int index,
            Instant finishedAt,
            int ordersChecked,
            int healthy,
            int accessLost,
            int rotated,
            int notAudited) {
        this(index, finishedAt, ordersChecked, healthy, accessLost, rotated, notAudited, 0);
    }
}
