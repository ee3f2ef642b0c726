package com.databox.cmk.audit;

import java.time.Instant;

/**
 * What one shard found; writing it again (a redelivered message) changes nothing. {@code notAudited}: the
 * orders among {@code ordersChecked} that got no verdict this run (Key Vault or Resource Manager throttling
 * or not answering, an order changed meanwhile): they keep their health until the next run.
 */
public record ShardResult(
        int index, Instant finishedAt, int ordersChecked, int healthy, int accessLost, int rotated, int notAudited) {}
