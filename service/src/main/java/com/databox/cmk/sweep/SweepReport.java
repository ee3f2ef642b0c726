package com.databox.cmk.sweep;

/**
 * What one sweep did.
 *
 * @param held identities that orders hold (kept assigned)
 * @param reassigned held identities found un-assigned and assigned again
 * @param missing held identities that no longer exist (their owner deleted them; the order's key
 *     access is lost until it gets another identity, which the audit reports)
 * @param failed identities whose change failed this time (ARM unavailable); the next run tries again
 * @param unassigned identities no order holds, un-assigned from the function app
 * @param deleted identities the service had made for orders, deleted
 * @param settling identities no order holds, registered too recently to be swept yet
 * @param unreadable orders whose stored rows cannot be read again (damaged), logged: the identities they may hold
 *     are kept
 */
public record SweepReport(
        int held, int reassigned, int missing, int unassigned, int deleted, int settling, int failed, int unreadable) {}
