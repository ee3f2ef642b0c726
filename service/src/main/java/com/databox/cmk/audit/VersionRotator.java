package com.databox.cmk.audit;

import com.databox.cmk.encryption.EncryptionService;
import com.databox.cmk.encryption.KeyDescription;
import com.databox.cmk.encryption.KeyVaultGateway;
import com.databox.cmk.encryption.Probe;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.OrderKeyState;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
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
    private final SecureRandom random = new SecureRandom();

    public VersionRotator(KeyVaultGateway vault, EncryptionService encryption) {
        this.vault = vault;
        this.encryption = encryption;
    }

    /**
     * A probe wrapped and unwrapped with the version as the identity; a Key Vault outage proves nothing
     * and is not remembered (the change is not tried this time).
     */
    private Optional<Boolean> prove(KeyUrl version, WrappingIdentity identity) {
        byte[] probe = Probe.random(random);
        try {
            return Optional.of(Arrays.equals(vault.unwrap(vault.wrap(version, identity, probe), identity), probe));
        } catch (ServiceException refused) {
            if (refused.code().saysNothingOfTheKey()) {
                return Optional.empty();
            }
            LOG.infof("Key version %s cannot be used yet: %s", version, refused.code());
            return Optional.of(false);
        }
    }

    private Optional<KeyDescription> readNewest(KeyUrl versionless, WrappingIdentity identity) {
        try {
            return Optional.of(vault.describe(versionless, identity));
        } catch (ServiceException unreadable) {
            return Optional.empty(); // the health check that follows reports why
        }
    }

    /** The newest versions one shard has read, per (key, identity). */
    public Session session() {
        return new Session();
    }

    public final class Session {
        /**
         * The newest version of each (key, identity), read once a shard: orders meeting the key at once wait
         * for the one read. An unreadable key is remembered as none (the health check that follows says why).
         */
        private final Map<String, CompletableFuture<Optional<KeyDescription>>> newest = new ConcurrentHashMap<>();
        /**
         * Whether the identity can wrap and unwrap with a newer version, proven once a shard before any
         * order moves there: a version it cannot use costs two calls a shard, not a refused change (and an
         * unwrap of the order's key) an order. Only the new version is proven here, so an order whose own
         * version fails its change holds up no other order. Orders meeting the version at once wait for
         * the one proof.
         */
        private final Map<String, CompletableFuture<Optional<Boolean>>> usable = new ConcurrentHashMap<>();

        private Session() {}

        private boolean usable(KeyUrl version, WrappingIdentity identity) {
            return once(
                            usable,
                            version.keyId() + "|" + identity.key(),
                            () -> prove(version, identity),
                            Optional::isPresent)
                    .orElse(false);
        }

        private Optional<KeyDescription> newest(KeyUrl versionless, WrappingIdentity identity) {
            return once(
                    newest,
                    versionless.keyId() + "|" + identity.key(),
                    () -> readNewest(versionless, identity),
                    found -> true);
        }

        /**
         * The answer for {@code key}, worked out by the first order to ask while the others wait for it. The work
         * runs outside the map's locks, so that a slow Key Vault call holds up no other key. An answer
         * {@code remembered} refuses (an outage) is given to those waiting but not kept: the next order asks again.
         */
        private static <T> T once(
                Map<String, CompletableFuture<T>> answers, String key, Supplier<T> work, Predicate<T> remembered) {
            CompletableFuture<T> mine = new CompletableFuture<>();
            CompletableFuture<T> pending = answers.putIfAbsent(key, mine);
            if (pending != null) {
                return Futures.join(pending);
            }
            try {
                T answer = work.get();
                if (!remembered.test(answer)) {
                    answers.remove(key, mine);
                }
                mine.complete(answer);
                return answer;
            } catch (RuntimeException | Error e) {
                // Completed whatever happens: the orders waiting for this answer must not wait forever.
                answers.remove(key, mine);
                mine.completeExceptionally(e);
                throw e;
            }
        }

        /** @return whether the order moved to a newer version */
        public boolean rotateIfNewer(
                OrderKeyState order, KeyProtection.CustomerManaged key, WrappingIdentity identity) {
            KeyUrl versionless = key.versionless();
            Optional<KeyDescription> current = newest(versionless, identity);
            if (current.isEmpty()
                    || !current.get().enabled()
                    || current.get().keyUrl().equals(key.keyUrl())) {
                return false;
            }
            if (!usable(current.get().keyUrl(), identity)) {
                return false;
            }
            try {
                // The change tells Logic Apps of the new version (ChangeEvents.KEY_VERSION), in its transaction.
                encryption.changeKey(
                        order.ref(), versionless, key.vault(), IfMatch.version(order.etag()), HealthRecorder.ACTOR);
                return true;
            } catch (ServiceException cannotRotate) {
                LOG.infof(
                        "Order %s cannot move to %s yet: %s",
                        order.name(), current.get().keyUrl(), cannotRotate.code());
                return false;
            }
        }
    }
}
