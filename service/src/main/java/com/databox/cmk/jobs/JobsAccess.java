package com.databox.cmk.jobs;

import com.databox.cmk.order.Caller;

/**
 * Whether a caller may create Data Box jobs in a resource group: the check ARM makes for
 * {@code Microsoft.DataBox/jobs/write} before a request reaches the resource provider, made here for
 * the caller, never with the service's own rights. Asked before a subscription's first job binds the
 * subscription to the caller's tenant, so that no tenant takes a subscription it has no rights in.
 */
public interface JobsAccess {
    Decision mayCreateJobs(Caller caller, String subscriptionId, String resourceGroup);

    enum Decision {
        Granted,
        Denied,
        /** The service may not read the role assignments there (no role of its own in the subscription, say). */
        Unknown
    }

    /** Allows everything: for tests of other rules only. */
    JobsAccess ANYONE = (caller, subscriptionId, resourceGroup) -> Decision.Granted;
}
