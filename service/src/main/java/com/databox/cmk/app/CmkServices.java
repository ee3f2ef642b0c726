package com.databox.cmk.app;

import com.databox.cmk.audit.AuditRetention;
import com.databox.cmk.audit.AuditRuns;
import com.databox.cmk.audit.AuditService;
import com.databox.cmk.audit.AuditSettings;
import com.databox.cmk.audit.HealthRecorder;
import com.databox.cmk.audit.PairProver;
import com.databox.cmk.audit.ShardPlanner;
import com.databox.cmk.audit.ShardQueue;
import com.databox.cmk.audit.VersionRotator;
import com.databox.cmk.encryption.EncryptionService;
import com.databox.cmk.encryption.KeyRequirements;
import com.databox.cmk.encryption.KeyVaultGateway;
import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.order.IdentityDirectory;
import com.databox.cmk.order.IdentityUse;
import com.databox.cmk.order.OrderService;
import com.databox.cmk.order.OrderSettings;
import com.databox.cmk.order.Orders;
import com.databox.cmk.order.SystemAssignedLimit;
import com.databox.cmk.outbox.CmkEvents;
import com.databox.cmk.outbox.Outbox;
import com.databox.cmk.outbox.OutboxRelay;
import com.databox.cmk.outbox.OutboxSettings;
import com.databox.cmk.outbox.RelayingOrders;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UnlockKeyProtector;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The composition root: the services built from their ports and settings, in plain Java. The CDI
 * producers ({@link ServiceBeans}), the fault tests' child JVM and the fast tests with in-memory
 * ports all build the services here, so they run the same wiring.
 */
public final class CmkServices {

    /**
     * What the services need from outside: storage, the identity directory, whether a caller may
     * assign an identity (ARM's answer, never the service's own rights), Key Vault, and the outbox
     * of the orders' events with the queue it is relayed to.
     */
    public record Ports(
            Orders orders,
            IdentityDirectory identities,
            IdentityUse identityUse,
            KeyVaultGateway keyVault,
            VaultHostPolicy vaultHosts,
            CmkEvents events,
            Outbox outbox) {
        /**
         * Without an events queue: changes still write their events into the outbox, and the sweep of a
         * process that has the queue publishes them (as after a crash between the write and its relay).
         */
        public Ports(
                Orders orders,
                IdentityDirectory identities,
                IdentityUse identityUse,
                KeyVaultGateway keyVault,
                VaultHostPolicy vaultHosts) {
            this(orders, identities, identityUse, keyVault, vaultHosts, null, null);
        }
    }

    /** The audit's own storage: its runs and its shard queue. */
    public record AuditPorts(AuditRuns runs, ShardQueue shards) {}

    /**
     * @param microsoftKeyUrl the service's own key (the Microsoft-managed key)
     */
    public record Settings(
            String microsoftKeyUrl,
            int userAssignedIdentityLimit,
            SystemAssignedLimit systemAssigned,
            AuditSettings audit,
            OutboxSettings outbox) {
        public Settings(String microsoftKeyUrl, int userAssignedIdentityLimit, AuditSettings audit) {
            this(microsoftKeyUrl, userAssignedIdentityLimit, audit, CmkDefaults.outbox());
        }

        public Settings(
                String microsoftKeyUrl, int userAssignedIdentityLimit, AuditSettings audit, OutboxSettings outbox) {
            this(microsoftKeyUrl, userAssignedIdentityLimit, CmkDefaults.systemAssignedLimit(), audit, outbox);
        }

        /** The settings with {@link CmkDefaults}, as configuration gives them when only the key is set. */
        public static Settings defaults(String microsoftKeyUrl) {
            return new Settings(microsoftKeyUrl, CmkDefaults.userAssignedLimit(), CmkDefaults.audit());
        }
    }

    private final Ports ports;
    private final Orders orders;
    private final OutboxRelay relay;
    private final Settings settings;
    private final Clock clock;
    private final UnlockKeyProtector protector;
    private final KeyRequirements requirements;
    private final OrderService orderService;
    private final EncryptionService encryption;

    public CmkServices(Ports ports, Settings settings, Clock clock, SecureRandom random) {
        this.ports = ports;
        this.relay = ports.events() == null || ports.outbox() == null
                ? null
                : new OutboxRelay(ports.outbox(), ports.events(), settings.outbox());
        // Every write of the services goes through here, so a change's events leave right after it.
        this.orders = relay == null ? ports.orders() : new RelayingOrders(ports.orders(), relay);
        this.settings = settings;
        this.clock = clock;
        this.protector = new UnlockKeyProtector(ports.keyVault(), random);
        // Checked at start (ConfigurationCheck): a URL that does not parse has stopped the app before this.
        KeyUrl microsoftKey = KeyUrl.parse(settings.microsoftKeyUrl());
        this.requirements = new KeyRequirements(ports.keyVault(), ports.vaultHosts(), ports.identities(), clock);
        this.orderService = new OrderService(
                orders,
                ports.identities(),
                ports.identityUse(),
                protector,
                new OrderSettings(microsoftKey, settings.userAssignedIdentityLimit(), settings.systemAssigned()),
                clock);
        this.encryption =
                new EncryptionService(orders, orderService, requirements, protector, microsoftKey, random, clock);
    }

    /**
     * The times the service writes and answers, to the microsecond: Table Storage keeps a time to 100 ns, and
     * with this JDK's nanoseconds a write's answer and its event named a time that the next read of the same
     * order did not (bug bash of 2026-12-06, time F3; Azurite keeps what it is sent, so it does not show).
     */
    public static final Clock CLOCK = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));

    public static CmkServices create(Ports ports, Settings settings) {
        return new CmkServices(ports, settings, CLOCK, new SecureRandom());
    }

    public OrderService orders() {
        return orderService;
    }

    public EncryptionService encryption() {
        return encryption;
    }

    public KeyRequirements requirements() {
        return requirements;
    }

    /** The relay of the orders' outbox to the events queue; empty without an events queue. */
    public Optional<OutboxRelay> outboxRelay() {
        return Optional.ofNullable(relay);
    }

    /** Deletes the audit runs kept longer than {@code cmk.audit.retention}, in the audit's storage. */
    public AuditRetention auditRetention(AuditRuns runs) {
        return new AuditRetention(runs, settings.audit().retention(), clock);
    }

    /** The audit, built on demand: its storage is created on first use, so only what audits needs it. */
    public AuditService audit(AuditPorts audit) {
        AuditSettings auditSettings = settings.audit();
        return new AuditService(
                ports.identities(),
                new ShardPlanner(ports.orders(), audit.runs(), audit.shards(), auditSettings.shardSize(), clock),
                new PairProver(requirements, audit.runs(), auditSettings.pairWait(), clock),
                new VersionRotator(ports.keyVault(), encryption),
                new HealthRecorder(orders, audit.runs(), clock),
                audit.runs(),
                auditSettings,
                clock);
    }
}
