package com.databox.cmk.encryption;

import com.databox.cmk.unlockkey.WrappingIdentity;
import com.databox.cmk.unlockkey.UnlockKeyProtector;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KekIdentity;
import com.databox.cmk.order.KeyEncryptionKey;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.NewOrder;
import com.databox.cmk.order.ProtectedUnlockKey;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderService;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.StaleOrderException;
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
    public Order create(OrderName name, NewOrder request, String actor) {
        KeyEncryptionKeyRequest target = request.keyEncryptionKey();
        return orderService.create(name, request, actor, (draft, unlockKey) -> protectWith(draft, target, unlockKey));
    }

    public Order enable(OrderName name, KeyEncryptionKeyRequest request, String ifMatch, String actor) {
        return change(name, ifMatch, actor, "enable", order -> request);
    }

    public Order changeKey(OrderName name, String kekUrl, String kekVaultResourceId, String ifMatch, String actor) {
        return change(name, ifMatch, actor, "change-key", order -> {
            KeyEncryptionKey current = requireCustomerManaged(order);
            return new KeyEncryptionKeyRequest(kekUrl, kekVaultResourceId, current.identity());
        });
    }

    public Order changeIdentity(OrderName name, KekIdentity identity, String ifMatch, String actor) {
        return change(name, ifMatch, actor, "change-identity", order -> {
            KeyEncryptionKey current = requireCustomerManaged(order);
            // Keep following new versions if the customer chose to.
            String url = current.autoRotation() ? KeyUrl.parse(current.kekUrl()).withVersion(null).keyId() : current.kekUrl();
            return new KeyEncryptionKeyRequest(url, current.kekVaultResourceId(), identity);
        });
    }

    public Order useMicrosoftKey(OrderName name, String ifMatch, String actor) {
        return change(name, ifMatch, actor, "use-microsoft-key", order -> null);
    }

    /**
     * Checks the proposed configuration, or the current one when {@code proposal} is null, and
     * then records the order's key health. Nothing else changes.
     */
    public ValidationReport validate(OrderName name, KeyEncryptionKeyRequest proposal, String actor) {
        Order order = orderService.get(name);
        byte[] probe = new byte[32];
        random.nextBytes(probe);
        if (proposal != null) {
            return requirements.check(order, proposal.kekUrl(), proposal.identity(), probe);
        }
        KeyEncryptionKey current = order.keyEncryptionKey();
        ValidationReport report = current.isCustomerManaged()
                ? requirements.check(order, current.kekUrl(), current.identity(), probe)
                : requirements.checkMicrosoftKey(order.wrappedUnlockKey().keyId(), probe);
        recordHealth(order, report, actor);
        return report;
    }

    private void recordHealth(Order order, ValidationReport report, String actor) {
        KeyHealth health = report.firstFailure()
                .map(e -> new KeyHealth(KeyHealth.Status.AccessLost, e.code().name(), e.getMessage(), clock.instant()))
                .orElseGet(() -> new KeyHealth(KeyHealth.Status.Healthy, null, null, clock.instant()));
        try {
            orders.replace(order.withKeyHealth(health), new HistoryEntry(clock.instant(), "validate", actor,
                    "Key health " + health.status() + (health.errorCode() == null ? "" : " (" + health.errorCode() + ")")));
        } catch (StaleOrderException changedMeanwhile) {
            // A concurrent change has checked the key itself; its health is the newer one.
        }
    }

    private Order change(OrderName name, String ifMatch, String actor, String action, TargetOf targetOf) {
        for (int attempt = 1; ; attempt++) {
            Order order = orderService.get(name);
            OrderService.requireMatch(order, ifMatch);
            if (order.stage().isTerminal()) {
                throw new ServiceException(ErrorCode.OrderInTerminalStage, "The order '" + name + "' is in the terminal "
                        + "stage " + order.stage() + "; its encryption can no longer change.", "stage");
            }
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
        if (target != null) {
            // A URL that can never be used is refused before anything, even the unwrap, calls a vault.
            requirements.checkUrl(target.kekUrl());
        }
        byte[] unlockKey = protector.unwrap(order.wrappedUnlockKey(), OrderService.currentWrappingIdentity(order));
        try {
            ProtectedUnlockKey next = target == null
                    ? new ProtectedUnlockKey(KeyEncryptionKey.MICROSOFT_MANAGED,
                            protector.wrapVerified(microsoftKeyUrl, WrappingIdentity.SERVICE, unlockKey))
                    : protectWith(order, target, unlockKey);
            KeyHealth healthy = new KeyHealth(KeyHealth.Status.Healthy, null, null, clock.instant());
            return orders.replace(order.withProtection(next.keyEncryptionKey(), next.wrapped()).withKeyHealth(healthy),
                    new HistoryEntry(clock.instant(), action, actor,
                            describe(order.keyEncryptionKey(), next.keyEncryptionKey())));
        } finally {
            Arrays.fill(unlockKey, (byte) 0);
        }
    }

    /** Checks the customer's key and wraps with it, proven by unwrapping as the same identity. */
    private ProtectedUnlockKey protectWith(Order order, KeyEncryptionKeyRequest target, byte[] unlockKey) {
        ValidationReport report = requirements.check(order, target.kekUrl(), target.identity(), unlockKey);
        WrappedUnlockKey wrapped = report.wrapped();
        if (wrapped == null) {
            throw report.firstFailure().orElseThrow();
        }
        boolean autoRotation = !KeyUrl.parse(target.kekUrl()).isVersioned();
        return new ProtectedUnlockKey(new KeyEncryptionKey(KeyEncryptionKey.KekType.CustomerManaged, wrapped.keyId(),
                target.kekVaultResourceId(), target.identity(), autoRotation), wrapped);
    }

    private static KeyEncryptionKey requireCustomerManaged(Order order) {
        KeyEncryptionKey current = order.keyEncryptionKey();
        if (!current.isCustomerManaged()) {
            throw ServiceException.invalidRequest("The order '" + order.name() + "' uses the Microsoft-managed key; "
                    + "enable a customer-managed key first.", "keyEncryptionKey");
        }
        return current;
    }

    private static String describe(KeyEncryptionKey before, KeyEncryptionKey after) {
        return kek(before) + " -> " + kek(after);
    }

    private static String kek(KeyEncryptionKey kek) {
        if (!kek.isCustomerManaged()) {
            return "MicrosoftManaged";
        }
        KekIdentity identity = kek.identity();
        return kek.kekUrl() + " as " + (identity.type() == KekIdentity.Type.SystemAssigned ? "SystemAssigned"
                : identity.userAssignedResourceId()) + (kek.autoRotation() ? " (autoRotation)" : "");
    }

    @FunctionalInterface
    private interface TargetOf {
        /** The configuration to move to, computed from the order as read; null for the Microsoft-managed key. */
        KeyEncryptionKeyRequest target(Order order);
    }
}
