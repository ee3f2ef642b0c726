package com.databox.cmk.emulator.identity;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entra ID application registrations, for keys in another tenant (Azure Storage's cross-tenant
 * customer-managed keys): a multi-tenant application registered in its home tenant, with federated
 * identity credentials (issuer and subject of the tokens it trusts as client assertions), and a
 * service principal, with an object ID of its own, in each tenant that consented to it (the home
 * tenant from the start). A vault grants the service principal of its own tenant.
 */
public final class Applications {

    /** A federated identity credential: the assertion's issuer and subject it trusts. */
    public record FederatedCredential(String issuer, String subject) {}

    /**
     * @param servicePrincipals tenant ID (lower case) → the service principal's object ID there
     */
    public record Application(
            String name,
            String appId,
            String objectId,
            String homeTenantId,
            List<FederatedCredential> federatedCredentials,
            Map<String, String> servicePrincipals) {

        public Optional<String> servicePrincipalIn(String tenantId) {
            return Optional.ofNullable(servicePrincipals.get(tenantId.toLowerCase(Locale.ROOT)));
        }

        /** Whether a federated credential trusts this issuer and subject (both compared exactly, as Entra ID does). */
        public boolean trusts(String issuer, String subject) {
            return federatedCredentials.stream()
                    .anyMatch(c -> c.issuer().equals(issuer) && c.subject().equals(subject));
        }
    }

    private final Map<String, Application> byName = new ConcurrentHashMap<>();

    /** Registers an application, or replaces its federated credentials keeping its IDs and service principals. */
    public Application put(String name, String homeTenantId, List<FederatedCredential> credentials) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{2,127}")) {
            throw new IllegalArgumentException(
                    "Invalid application name '" + name + "': 3-128 letters, digits, '-' or '_'");
        }
        return byName.compute(name, (key, existing) -> {
            if (existing == null) {
                Map<String, String> principals = new HashMap<>();
                principals.put(homeTenantId.toLowerCase(Locale.ROOT), uuid());
                return new Application(
                        name, uuid(), uuid(), homeTenantId, List.copyOf(credentials), Map.copyOf(principals));
            }
            return new Application(
                    name,
                    existing.appId(),
                    existing.objectId(),
                    existing.homeTenantId(),
                    List.copyOf(credentials),
                    existing.servicePrincipals());
        });
    }

    /** Consent in {@code tenantId}: the application's service principal there (the existing one, if any). */
    public Application addServicePrincipal(String name, String tenantId) {
        return change(name, principals -> principals.putIfAbsent(tenantId.toLowerCase(Locale.ROOT), uuid()));
    }

    public Application removeServicePrincipal(String name, String tenantId) {
        return change(name, principals -> principals.remove(tenantId.toLowerCase(Locale.ROOT)));
    }

    public boolean delete(String name) {
        return byName.remove(name) != null;
    }

    public Optional<Application> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<Application> byAppId(String appId) {
        return byName.values().stream()
                .filter(a -> a.appId().equalsIgnoreCase(appId))
                .findFirst();
    }

    private Application change(String name, java.util.function.Consumer<Map<String, String>> change) {
        Application changed = byName.computeIfPresent(name, (key, existing) -> {
            Map<String, String> principals = new HashMap<>(existing.servicePrincipals());
            change.accept(principals);
            return new Application(
                    name,
                    existing.appId(),
                    existing.objectId(),
                    existing.homeTenantId(),
                    existing.federatedCredentials(),
                    Map.copyOf(principals));
        });
        if (changed == null) {
            throw new java.util.NoSuchElementException("Application '" + name + "' not found");
        }
        return changed;
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }
}
