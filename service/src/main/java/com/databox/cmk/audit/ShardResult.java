package com.databox.cmk.audit;

import java.time.Instant;

/** What one shard found; writing it again (a redelivered message) changes nothing. */
public record ShardResult(int index, Instant finishedAt, int ordersChecked, int healthy, int accessLost, int rotated) {}
