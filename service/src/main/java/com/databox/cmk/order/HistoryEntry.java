package com.databox.cmk.order;

import java.time.Instant;

/** One change of an order, kept beside it. {@code summary} never holds key material. */
public record HistoryEntry(Instant at, String action, String actor, String summary) {}
