package com.databox.cmk.testing.inmemory;

import com.databox.cmk.app.CmkDefaults;
import com.databox.cmk.app.CmkServices;
import com.databox.cmk.audit.AuditService;
import com.databox.cmk.audit.AuditSettings;
import com.databox.cmk.encryption.EncryptionService;
import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.jobs.JobCaller;
import com.databox.cmk.jobs.JobRecords;
import com.databox.cmk.jobs.JobService;
import com.databox.cmk.jobs.JobsAccess;
import com.databox.cmk.order.Caller;
import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.NewOrder;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.OrderService;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.SystemAssignedLimit;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.outbox.OutboxRelay;
import com.databox.cmk.sweep.IdentitySweep;
import com.databox.cmk.sweep.RegisteringDirectory;
import com.databox.cmk.sweep.SweepSettings;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The services as {@link CmkServices} assembles them, on in-memory ports: no Quarkus, no Azurite,
 * no emulator. The service's own key lives in the vault {@code databox-service}.
 */
public final class InMemoryStack {
    public static final String ACTOR = "unit-test";
    /** The tenant of the stack's customers and of {@link #CALLER}. */
    public static final TenantId TENANT = new TenantId(InMemoryIdentityDirectory.TENANT);

    public static final String CALLER_OID = "0c4a11e5-0000-4000-8000-00000000ca11";
    /** A caller of {@link #TENANT} who may assign every identity (Managed Identity Operator on the group). */
    public static final Caller CALLER = new Caller(TENANT, CALLER_OID, ACTOR);

    private static final AtomicInteger NAMES = new AtomicInteger();

    public final TestClock clock = new TestClock(Instant.parse("2026-11-29T12:00:00Z"));
    public final InMemoryOrders orders = new InMemoryOrders();
    public final InMemoryIdentityDirectory identities = new InMemoryIdentityDirectory();
    public final InMemoryIdentityRegistry identityRegistry = new InMemoryIdentityRegistry();
    public final InMemoryIdentityUse identityUse = new InMemoryIdentityUse();
    public final InMemoryKeyVault keyVault = new InMemoryKeyVault(clock);
    public final InMemoryAuditRuns auditRuns = new InMemoryAuditRuns();
    public final InMemoryShardQueue shards = new InMemoryShardQueue();
    public final InMemoryEvents events = new InMemoryEvents();
    public final String microsoftKeyUrl;
    public final CmkServices services;
    private final CmkServices.Ports ports;
    private final CmkServices.Settings settings;

    /** A customer's key version in their vault, and a user-assigned identity that may use it. */
    public record CustomerKey(
            String vaultUrl,
            String keyName,
            InMemoryKeyVault.Version version,
            UserAssignedIdentity identity,
            String vaultResourceId) {
        public String keyUrl() {
            return version.keyId();
        }

        public String versionlessUrl() {
            return vaultUrl + "/keys/" + keyName;
        }

        public UserAssignedIdentityId identityId() {
            return identity.resourceId();
        }

        public WrappingIdentity wrappingIdentity() {
            return new WrappingIdentity.ManagedIdentity(identity.resourceId());
        }
    }

    public InMemoryStack() {
        this(CmkDefaults.audit());
    }

    public InMemoryStack(AuditSettings audit) {
        this(audit, CmkDefaults.systemAssignedLimit());
    }

    /** A stack whose tenants' orders may hold {@code systemAssigned} system-assigned identities. */
    public static InMemoryStack withSystemAssignedLimit(SystemAssignedLimit systemAssigned) {
        return new InMemoryStack(CmkDefaults.audit(), systemAssigned);
    }

    private InMemoryStack(AuditSettings audit, SystemAssignedLimit systemAssignedLimit) {
        String serviceVault = keyVault.createVault("databox-service");
        microsoftKeyUrl = keyVault.addVersion(serviceVault, "service-kek").keyId();
        keyVault.grantAll(serviceVault, WrappingIdentity.SERVICE);
        identityUse.grantEverywhere(CALLER_OID);
        ports = new CmkServices.Ports(
                orders,
                new RegisteringDirectory(identities, identityRegistry, clock),
                identityUse,
                keyVault,
                new VaultHostPolicy(CmkDefaults.vaultHostSuffixes(), List.of()),
                events,
                orders);
        settings = new CmkServices.Settings(
                microsoftKeyUrl, CmkDefaults.userAssignedLimit(), systemAssignedLimit, audit, CmkDefaults.outbox());
        services = new CmkServices(ports, settings, clock, new SecureRandom());
    }

    /** The same stores, directory and vaults, behind another Key Vault host allow-list (the operator changed it). */
    public CmkServices servicesWithHosts(VaultHostPolicy hosts) {
        return servicesWith(ports.keyVault(), hosts);
    }

    /** The same stores and directory, reaching the vaults through {@code keyVault} (one that fails some calls). */
    public CmkServices servicesWithKeyVault(com.databox.cmk.encryption.KeyVaultGateway keyVault) {
        return servicesWith(keyVault, ports.vaultHosts());
    }

    private CmkServices servicesWith(com.databox.cmk.encryption.KeyVaultGateway keyVault, VaultHostPolicy hosts) {
        return new CmkServices(
                new CmkServices.Ports(
                        ports.orders(),
                        ports.identities(),
                        ports.identityUse(),
                        keyVault,
                        hosts,
                        ports.events(),
                        ports.outbox()),
                settings,
                clock,
                new SecureRandom());
    }

    /** The same stores, directory and vaults, served with another user-assigned limit (the operator changed it). */
    public CmkServices servicesWithUserAssignedLimit(int limit) {
        return new CmkServices(
                ports,
                new CmkServices.Settings(
                        settings.microsoftKeyUrl(),
                        limit,
                        settings.systemAssigned(),
                        settings.audit(),
                        settings.outbox()),
                clock,
                new SecureRandom());
    }

    /** The stack's caller, as the jobs surface names it. */
    public static final JobCaller JOB_CALLER = new JobCaller(ACTOR, "User", TENANT.value(), CALLER_OID);

    /** The jobs surface over this stack's orders and keys, its own records in {@code records}; anyone may make jobs. */
    public JobService jobs(JobRecords records) {
        return new JobService(records, services.orders(), services.encryption(), JobsAccess.ANYONE, clock);
    }

    public OrderService orderService() {
        return services.orders();
    }

    public EncryptionService encryption() {
        return services.encryption();
    }

    public IdentitySweep identitySweep(SweepSettings settings) {
        return new IdentitySweep(orders, identityRegistry, identities, settings, clock);
    }

    public AuditService audit() {
        return services.audit(new CmkServices.AuditPorts(auditRuns, shards));
    }

    /** The relay of {@link #orders}' outbox to {@link #events}, as the services run it. */
    public OutboxRelay relay() {
        return services.outboxRelay().orElseThrow();
    }

    /** A new order's reference in {@link #TENANT}. */
    public static OrderRef newName() {
        return new OrderRef(TENANT, new OrderName("order-" + NAMES.incrementAndGet()));
    }

    /** A new vault with one RSA 2048 key, and a user-assigned identity granted Get, WrapKey and UnwrapKey. */
    public CustomerKey customerKey() {
        int n = NAMES.incrementAndGet();
        String vaultUrl = keyVault.createVault("contoso" + n);
        InMemoryKeyVault.Version version = keyVault.addVersion(vaultUrl, "databox-kek");
        UserAssignedIdentity identity = identities.createUserAssigned("uai-" + n);
        keyVault.grantAll(vaultUrl, new WrappingIdentity.ManagedIdentity(identity.resourceId()));
        String vaultId = "/subscriptions/" + InMemoryIdentityDirectory.SUBSCRIPTION + "/resourceGroups/customer/"
                + "providers/Microsoft.KeyVault/vaults/contoso" + n;
        return new CustomerKey(vaultUrl, "databox-kek", version, identity, vaultId);
    }

    /** An order with the Microsoft-managed key and no identity. */
    public Order microsoftManagedOrder() {
        return orderService().createOrReplace(newName(), new NewOrder("westus", null, null), IfMatch.ABSENT, CALLER);
    }

    /** An order with the Microsoft-managed key in a tenant other than {@link #TENANT}. */
    public Order orderInAnotherTenant() {
        TenantId other = new TenantId("22222222-2222-2222-2222-222222222222");
        return orderService()
                .createOrReplace(
                        new OrderRef(other, new OrderName("order-" + NAMES.incrementAndGet())),
                        new NewOrder("westus", null, null),
                        IfMatch.ABSENT,
                        new Caller(other, CALLER_OID, ACTOR));
    }

    /** An order with {@code key}'s identity attached, still on the Microsoft-managed key. */
    public Order orderWithIdentityOf(CustomerKey key) {
        return orderService()
                .createOrReplace(
                        newName(),
                        new NewOrder(
                                "westus", new IdentityUpdate(false, true, Set.of(key.identityId()), Set.of()), null),
                        IfMatch.ABSENT,
                        CALLER);
    }

    /** An order created with {@code key} reached through its user-assigned identity. */
    public Order customerManagedOrder(CustomerKey key, String kekUrl) {
        return customerManagedOrder(newName(), key, kekUrl);
    }

    public Order customerManagedOrder(OrderRef name, CustomerKey key, String kekUrl) {
        return encryption()
                .create(
                        name,
                        new NewOrder(
                                "westus",
                                new IdentityUpdate(false, true, Set.of(key.identityId()), Set.of()),
                                new KeyEncryptionKeyRequest(
                                        RequestedKeyUrl.read(kekUrl),
                                        null,
                                        KeyIdentity.userAssigned(key.identityId()))),
                        CALLER);
    }

    /** The device password, as listCredentials reveals it. */
    public String revealPassword(OrderRef name) {
        return new String(orderService().revealUnlockKey(name), StandardCharsets.US_ASCII);
    }

    public Order stored(OrderRef name) {
        return orders.find(name).orElseThrow();
    }

    public void advance(Duration by) {
        clock.advance(by);
    }
}
