package com.databox.cmk.jobs;

import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.VaultResourceId;

/**
 * {@code properties.details.keyEncryptionKey} of an ARM PATCH. Absent parts ({@code null}) keep
 * what the order has; an absent identity on a job that has no customer-managed key yet means
 * the system-assigned one, as ARM implies.
 */
public record KekChange(
        boolean customerManaged, RequestedKeyUrl kekUrl, VaultResourceId kekVaultResourceId, KeyIdentity identity) {}
