package com.databox.cmk.audit;

/**
 * Where shard {@code index} of a run starts reading, recorded before its message is queued.
 *
 * @param from the continuation of the previous page, null for the run's first page
 * @param queued whether its message is known to be on the queue; false after a crash between the two,
 *     which the previous shard's next delivery mends
 */
public record ShardLink(int index, String from, boolean queued) {}
