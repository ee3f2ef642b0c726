/**
 * The transactional outbox (issue 15, item 5): an order's events are written in its partition in the same
 * entity-group transaction as the change ({@code Orders.replace(order, history, events)}); the
 * {@code OutboxRelay} publishes them to the events queue and then deletes them, right after the write
 * ({@code RelayingOrders}) and from a timer's sweep for whatever a crash or an outage left. Delivery is at
 * least once, each event under the CloudEvents {@code id} fixed when its row was written. Its ports
 * (outbox, events queue) are implemented in {@code storage}. Knows nothing of HTTP or the Azure SDKs.
 */
package com.databox.cmk.outbox;
