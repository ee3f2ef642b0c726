package com.databox.cmk.storage;

import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import java.time.Instant;

/** Orders as the storage tests write them: Microsoft-managed, in westus, with a stand-in wrapped unlock key. */
final class StoredOrderDrafts {
    static final String MICROSOFT_KEY = "https://databox-mmk.vault.azure.net/keys/mmk/0123456789abcdef0123456789abcdef";

    private StoredOrderDrafts() {}

    static Order draft(OrderRef ref, Instant at) {
        return draft(ref, OrderIdentity.NONE, at);
    }

    static Order draft(OrderRef ref, OrderIdentity identity, Instant at) {
        return Order.draft(ref, "westus", identity, at)
                .withProtection(
                        KeyProtection.MICROSOFT_MANAGED,
                        new WrappedUnlockKey(KeyUrl.parse(MICROSOFT_KEY), "RSA-OAEP-256", new byte[256]));
    }
}
