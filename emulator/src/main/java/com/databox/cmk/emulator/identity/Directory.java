package com.databox.cmk.emulator.identity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The managed identities the emulator knows, each in a tenant: the app's own and user-assigned ones. Names
 * match in any case, as ARM's resource names do; an identity keeps the spelling it was created with.
 */
public final class Directory {

    public static final String SUBSCRIPTION_ID = "d47ab0c5-0000-4000-8000-00000000da7a";
    public static final String RESOURCE_GROUP = "databox-local";
    static final String SYSTEM_IDENTITY = "system";

    private final Map<String, IdentityInfo> byName = new ConcurrentHashMap<>();
    private final String defaultTenantId;
    /** The tenant of the subscription, where ARM creates identities; moves with the subscription. */
    private volatile String subscriptionTenantId;

    public Directory(String defaultTenantId) {
        this.defaultTenantId = defaultTenantId;
        this.subscriptionTenantId = defaultTenantId;
        byName.put(key(SYSTEM_IDENTITY), new IdentityInfo(SYSTEM_IDENTITY, null, uuid(), uuid(), defaultTenantId));
    }

    public String defaultTenantId() {
        return defaultTenantId;
    }

    /** The tenant ARM creates new identities in: the default one until the subscription moves. */
    public String subscriptionTenantId() {
        return subscriptionTenantId;
    }

    /**
     * Moves the subscription to {@code tenantId} (null: back to the default tenant): identities ARM
     * creates from now on are in that tenant; existing ones stay where they are, as in Azure.
     */
    public void moveSubscription(String tenantId) {
        subscriptionTenantId = tenantId == null ? defaultTenantId : tenantId;
    }

    public IdentityInfo systemIdentity() {
        return byName.get(key(SYSTEM_IDENTITY));
    }

    public static String identityResourceId(String name) {
        return "/subscriptions/" + SUBSCRIPTION_ID + "/resourceGroups/" + RESOURCE_GROUP
                + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/" + name;
    }

    /** Creates a user-assigned identity, or moves an existing one to {@code tenantId} keeping its ids. */
    public IdentityInfo put(String name, String tenantId) {
        if (SYSTEM_IDENTITY.equalsIgnoreCase(name)) {
            throw new IllegalArgumentException(
                    "'" + SYSTEM_IDENTITY + "' is the app's own identity and cannot be replaced");
        }
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{2,127}")) {
            throw new IllegalArgumentException(
                    "Invalid identity name '" + name + "': 3-128 letters, digits, '-' or '_'");
        }
        String tenant = tenantId == null ? defaultTenantId : tenantId;
        return byName.compute(
                key(name),
                (key, existing) -> existing == null
                        ? new IdentityInfo(name, identityResourceId(name), uuid(), uuid(), tenant)
                        : new IdentityInfo(
                                existing.name(),
                                existing.resourceId(),
                                existing.principalId(),
                                existing.clientId(),
                                tenant));
    }

    public boolean delete(String name) {
        if (SYSTEM_IDENTITY.equalsIgnoreCase(name)) {
            throw new IllegalArgumentException("The app's own identity cannot be deleted");
        }
        return byName.remove(key(name)) != null;
    }

    public Optional<IdentityInfo> byName(String name) {
        return Optional.ofNullable(byName.get(key(name)));
    }

    public Optional<IdentityInfo> byResourceId(String resourceId) {
        String wanted = resourceId.toLowerCase(Locale.ROOT);
        return byName.values().stream()
                .filter(i -> i.resourceId() != null
                        && i.resourceId().toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst();
    }

    Optional<IdentityInfo> byClientId(String clientId) {
        return byName.values().stream()
                .filter(i -> i.clientId().equalsIgnoreCase(clientId))
                .findFirst();
    }

    Optional<IdentityInfo> byPrincipalId(String principalId) {
        return byName.values().stream()
                .filter(i -> i.principalId().equalsIgnoreCase(principalId))
                .findFirst();
    }

    public List<IdentityInfo> all() {
        List<IdentityInfo> all = new ArrayList<>(byName.values());
        all.sort(Comparator.comparing(IdentityInfo::name));
        return all;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }
}
