package com.databox.cmk.outbox;

import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderRef;

/**
 * An order's event as published on its tenant's events queue (a CloudEvent): the order, its tenant and the
 * event. A subscriber acts only on the events of its own tenant ({@code tenantid}, issue 12) and
 * ignores an {@code id} it has seen (delivery is at least once).
 */
public record CmkEvent(OrderRef order, OrderEvent event) {}
