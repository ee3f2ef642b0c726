package com.databox.cmk.encryption;

import com.databox.cmk.unlockkey.WrappingIdentity;
import com.databox.cmk.unlockkey.UnlockKeyProtector;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.NewOrder;
import com.databox.cmk.order.ProtectedUnlockKey;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.Caller;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.OrderService;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.StaleOrderException;
import com.databox.cmk.order.VaultResourceId;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;

/**
 * The customer-managed-key operations. Each change is one transaction (API.md, "What every
 * key change must guarantee"): unwrap with what protects the key now, check the new
 * configuration by wrapping the unlock key with it and unwrapping that again as the new
 * identity, then one write conditional on the ETag read. Until that write, nothing is
 * stored, so a failure at any step leaves the order as it was.
 */
public class EncryptionService {
    /** Lost races are retried from a fresh read, unless the caller pinned a version with If-Match. */
    private static final int ATTEMPTS = 5;

    private final Orders orders;
    private final OrderService orderService;
    private final KeyRequirements requirements;
    private final UnlockKeyProtector protector;
    private final String microsoftKeyUrl;
    private final SecureRandom random;
    private final Clock clock;

    public EncryptionService(Orders orders, OrderService orderService, KeyRequirements requirements,
            UnlockKeyProtector protector, String microsoftKeyUrl, SecureRandom random, Clock clock) {
        this.orders = orders;
        this.orderService = orderService;
        this.requirements = requirements;
        this.protector = protector;
        this.microsoftKeyUrl = microsoftKeyUrl;
        this.random = random;
        this.clock = clock;
    }

    /** Creates an order whose unlock key is protected by a customer-managed key from the start. */
    public Order create(OrderRef ref, NewOrder request, Caller caller) {
        KeyEncryptionKeyRequest target = request.keyEncryptionKey();
        return orderService.create(ref, request, caller, (draft, unlockKey) -> protectWith(draft, target, unlockKey));
    }

    public Order enable(OrderRef ref, KeyEncryptionKeyRequest request, String ifMatch, String actor) {
        return change(ref, ifMatch, actor, "enable", order -> request);
    }

    public Order changeKey(OrderRef ref, String kekUrl, VaultResourceId vault, String ifMatch, String actor) {
        return change(ref, ifMatch, actor, "change-key", order -> order.keyChange(kekUrl, vault).orElseThrow());
    }

    public Order changeIdentity(OrderRef ref, KeyIdentity identity, String ifMatch, String actor) {
        return change(ref, ifMatch, actor, "change-identity", order -> order.identityChange(identity).orElseThrow());
    }

    public Order useMicrosoftKey(OrderRef ref, String ifMatch, String actor) {
        return change(ref, ifMatch, actor, "use-microsoft-key", order -> null);
    }

    /**
     * Checks the proposed configuration, or the current one when {@code proposal} is null, and
     * then records the order's key health. Nothing else changes.
     */
    public ValidationReport validate(OrderRef ref, KeyEncryptionKeyRequest proposal, String actor) {
        Order order = orderService.get(ref);
        byte[] probe = new byte[32];
        random.nextBytes(probe);
        if (proposal != null) {
            return requirements.check(order, proposal.kekUrl(), proposal.identity(), probe);
        }
        ValidationReport report = switch (order.protection()) {
            case KeyProtection.CustomerManaged current -> requirements.check(order, current.keyUrl(),
                    current.keyIdentity(), probe);
            case KeyProtection.MicrosoftManaged microsoft ->
                    requirements.checkMicrosoftKey(order.wrappedUnlockKey().keyId(), probe);
        };
        recordHealth(order, report, actor);
        return report;
    }

    private void recordHealth(Order order, ValidationReport report, String actor) {
        KeyHealth health = report.firstFailure()
                .map(e -> KeyHealth.accessLost(e.code(), e.getMessage(), clock.instant()))
                .orElseGet(() -> KeyHealth.healthy(clock.instant()));
        try {
            orders.replace(order.withKeyHealth(health), new HistoryEntry(clock.instant(), "validate", actor,
                    "Key health " + health.status() + (health.errorCode() == null ? "" : " (" + health.errorCode() + ")")));
        } catch (StaleOrderException changedMeanwhile) {
            // A concurrent change has checked the key itself; its health is the newer one.
        }
    }

    private Order change(OrderRef ref, String ifMatch, String actor, String action, TargetOf targetOf) {
        for (int attempt = 1; ; attempt++) {
            Order order = orderService.get(ref);
            OrderService.requireMatch(order, ifMatch);
            order.encryptionMayChange().orElseThrow();
            try {
                return changeOnce(order, targetOf.target(order), actor, action);
            } catch (StaleOrderException lostRace) {
                if (ifMatch != null || attempt >= ATTEMPTS) {
                    throw lostRace;
                }
            }
        }
    }

    private Order changeOnce(Order order, KeyEncryptionKeyRequest target, String actor, String action) {
        // A URL that can never be used is refused before anything, even the unwrap, calls a vault.
        KeyUrl keyUrl = target == null ? null : requirements.checkUrl(target.kekUrl());
        byte[] unlockKey = protector.unwrap(order.wrappedUnlockKey(), order.currentWrappingIdentity().orElseThrow());
        try {
            ProtectedUnlockKey next = target == null
                    ? new ProtectedUnlockKey(KeyProtection.MICROSOFT_MANAGED,
                            protector.wrapVerified(microsoftKeyUrl, WrappingIdentity.SERVICE, unlockKey))
                    : protectWith(order, keyUrl, target, unlockKey);
            KeyHealth healthy = KeyHealth.healthy(clock.instant());
            return orders.replace(order.withProtection(next.protection(), next.wrapped()).withKeyHealth(healthy),
                    new HistoryEntry(clock.instant(), action, actor,
                            Order.describe(order.protection()) + " -> " + Order.describe(next.protection())));
        } finally {
            Arrays.fill(unlockKey, (byte) 0);
        }
    }

    /** Checks the customer's key and wraps with it, proven by unwrapping as the same identity. */
    private ProtectedUnlockKey protectWith(Order order, KeyEncryptionKeyRequest target, byte[] unlockKey) {
        return protectWith(order, requirements.checkUrl(target.kekUrl()), target, unlockKey);
    }

    private ProtectedUnlockKey protectWith(Order order, KeyUrl keyUrl, KeyEncryptionKeyRequest target,
            byte[] unlockKey) {
        ValidationReport report = requirements.check(order, keyUrl, target.identity(), unlockKey);
        WrappedUnlockKey wrapped = report.wrapped();
        if (wrapped == null) {
            throw report.firstFailure().orElseThrow();
        }
        // A versionless URL asks for the current version now and for newer ones as the audit finds them.
        return new ProtectedUnlockKey(new KeyProtection.CustomerManaged(KeyUrl.parse(wrapped.keyId()), target.vault(),
                target.identity(), !keyUrl.isVersioned()), wrapped);
    }

    @FunctionalInterface
    private interface TargetOf {
        /** The configuration to move to, computed from the order as read; null for the Microsoft-managed key. */
        KeyEncryptionKeyRequest target(Order order);
    }
}
