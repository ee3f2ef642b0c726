package com.databox.cmk.outbox;

/**
 * What one sweep of the outbox did: events published (and removed), events left for the next sweep
 * (publishing failed), and whether it stopped at its cap with more pages to read.
 */
public record SweepResult(int published, int failed, boolean capped) {}
