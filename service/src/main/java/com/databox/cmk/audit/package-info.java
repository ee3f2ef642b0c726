/**
 * The permission audit: planning shards of orders, proving each (key version, identity) pair once per run,
 * recording key health, moving auto-rotating orders to new key versions, and publishing events. Its ports
 * (runs, shard queue, events) are implemented in {@code storage}. Knows nothing of HTTP or the Azure SDKs.
 */
package com.databox.cmk.audit;
