package com.databox.cmk.sweep;

import java.time.Duration;

/**
 * @param settle how long after its registration an identity is left alone: longer than any
 *     request takes, so an attach in flight (registered, not yet written on its order) is never swept
 * @param finishedOrderRetention how long a finished order keeps its identities after its last
 *     change (its {@code listCredentials} needs them until then)
 * @param maxChanges at most this many identities un-assigned or deleted per run; the next run
 *     goes on
 */
public record SweepSettings(Duration settle, Duration finishedOrderRetention, int maxChanges) {}
