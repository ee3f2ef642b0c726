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
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
    private final SecureRandom random = new SecureRandom();

    public VersionRotator(KeyVaultGateway vault, EncryptionService encryption, Clock clock) {
        this.vault = vault;
        this.encryption = encryption;
        this.clock = clock;
    }

    /**
     * A probe wrapped and unwrapped with the version as the identity; a Key Vault outage proves nothing
     * and is not remembered (the change is not tried this time).
     */
    private Optional<Boolean> prove(String keyId, WrappingIdentity identity) {
        byte[] probe = new byte[32];
        random.nextBytes(probe);
        try {
            return Optional.of(Arrays.equals(vault.unwrap(vault.wrap(keyId, identity, probe), identity), probe));
        } catch (ServiceException refused) {
            if (refused.code().saysNothingOfTheKey()) {
                return Optional.empty();
            }
            LOG.infof("Key version %s cannot be used yet: %s", keyId, refused.code());
            return Optional.of(false);
        }
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
        /**
         * Whether the identity can wrap and unwrap with a newer version, proven once a shard before any
         * order moves there: a version it cannot use costs two calls a shard, not a refused change (and an
         * unwrap of the order's key) an order. Only the new version is proven here, so an order whose own
         * version fails its change holds up no other order. Orders meeting the version at once wait for
         * the one proof.
         */
        private final Map<String, CompletableFuture<Boolean>> usable = new ConcurrentHashMap<>();

        private Session() {}

        private boolean usable(String keyId, WrappingIdentity identity) {
            String pair = keyId + "|" + identity.key();
            CompletableFuture<Boolean> mine = new CompletableFuture<>();
            CompletableFuture<Boolean> proof = usable.putIfAbsent(pair, mine);
            if (proof != null) {
                return proof.join();
            }
            Optional<Boolean> proven = Optional.empty();
            try {
                proven = prove(keyId, identity);
            } finally {
                if (proven.isEmpty()) {
                    // An outage proves nothing: the next order of the shard tries again.
                    usable.remove(pair, mine);
                }
                mine.complete(proven.orElse(false));
            }
            return mine.join();
        }

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
            if (!usable(current.get().keyId(), identity)) {
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
