package com.databox.cmk.outbox;

import java.util.List;

/** One page of the outbox across tenants; {@code continuation} null when it was the last. */
public record PendingEventPage(List<PendingEvent> events, String continuation) {}
