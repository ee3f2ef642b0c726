package com.databox.cmk.audit;

import com.databox.cmk.encryption.EncryptionService;
import com.databox.cmk.encryption.KeyDescription;
import com.databox.cmk.encryption.KeyVaultGateway;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderKeyState;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * For {@code autoRotation} orders: a newer enabled key version gets a full verified rewrap (the
 * change-key transaction), and Logic Apps are told: the events are written with the change, in its
 * transaction (the order's outbox).
 */
public final class VersionRotator {
    private static final Logger LOG = Logger.getLogger(VersionRotator.class);

    private final KeyVaultGateway vault;
    private final EncryptionService encryption;
    private final Clock clock;

    public VersionRotator(KeyVaultGateway vault, EncryptionService encryption, Clock clock) {
        this.vault = vault;
        this.encryption = encryption;
        this.clock = clock;
    }

    /** A rotation tells of the new version (and, as every key change, of access regained: ChangeEvents.KEY_HEALTH). */
    private List<OrderEvent> eventsOf(Order before, Order rotated) {
        return List.of(OrderEvent.versionRotated(rotated.eventKeyId(), before.eventKeyId(), clock.instant()));
    }

    /** The newest versions one shard has read, per (key, identity). */
    public Session session() {
        return new Session();
    }

    public final class Session {
        private final Map<String, Optional<KeyDescription>> newest = new ConcurrentHashMap<>();

        private Session() {}

        /** @return whether the order moved to a newer version */
        public boolean rotateIfNewer(
                OrderKeyState order, KeyProtection.CustomerManaged key, WrappingIdentity identity) {
            String versionless = key.versionless().keyId();
            Optional<KeyDescription> current = newest.computeIfAbsent(versionless + "|" + identity.key(), k -> {
                try {
                    return Optional.of(vault.describe(versionless, identity));
                } catch (ServiceException unreadable) {
                    return Optional.empty(); // the health check that follows reports why
                }
            });
            String previous = key.keyUrl().keyId();
            if (current.isEmpty()
                    || !current.get().enabled()
                    || current.get().keyId().equals(previous)) {
                return false;
            }
            try {
                encryption.changeKey(
                        order.ref(),
                        versionless,
                        key.vault(),
                        order.etag(),
                        HealthRecorder.ACTOR,
                        VersionRotator.this::eventsOf);
                return true;
            } catch (ServiceException cannotRotate) {
                LOG.infof(
                        "Order %s cannot move to %s yet: %s",
                        order.name(), current.get().keyId(), cannotRotate.code());
                return false;
            }
        }
    }
}
