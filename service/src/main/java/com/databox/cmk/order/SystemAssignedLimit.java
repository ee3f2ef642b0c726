package com.databox.cmk.order;

import java.time.Duration;

/**
 * How many system-assigned identities one tenant's orders may hold at once: each is an identity the service
 * makes in its own subscription and assigns to the function app, whose quotas every tenant shares.
 *
 * @param perTenant at most this many at once
 * @param finishedOrderRetention how long a finished order holds its identities after its last change (the
 *     identity sweep's setting): they count until then, as they exist until the sweep deletes them
 */
public record SystemAssignedLimit(int perTenant, Duration finishedOrderRetention) {}
