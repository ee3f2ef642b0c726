/**
 * Azure Table and Queue Storage adapters: orders with their history rows in one entity-group transaction,
 * conditional on the ETag; audit runs; the audit's shard queue; the events queue.
 */
package com.databox.cmk.storage;
