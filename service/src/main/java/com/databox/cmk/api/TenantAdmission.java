package com.databox.cmk.api;

import com.databox.cmk.order.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which tenants' callers the service serves: a list of tenant IDs, or {@code *} for every tenant
 * (a multi-tenant application: Entra ID issues tokens for it only where it is consented).
 * Anything that is not a tenant ID (a GUID) is never admitted, so no URL is ever built from it.
 */
public record TenantAdmission(boolean everyTenant, Set<TenantId> tenants) {

    public static TenantAdmission of(List<String> configured) {
        if (configured.stream().anyMatch(t -> "*".equals(t.trim()))) {
            return new TenantAdmission(true, Set.of());
        }
        return new TenantAdmission(
                false,
                configured.stream()
                        .map(String::trim)
                        .filter(t -> !t.isEmpty())
                        .map(t -> {
                            if (!TenantId.isWellFormed(t)) {
                                throw new IllegalArgumentException(
                                        "cmk.callers.allowed-tenants: '" + t + "' is neither a tenant ID nor *");
                            }
                            return new TenantId(t);
                        })
                        .collect(Collectors.toUnmodifiableSet()));
    }

    Optional<TenantId> admit(String claimedTenant) {
        if (!TenantId.isWellFormed(claimedTenant)) {
            return Optional.empty();
        }
        TenantId tenant = new TenantId(claimedTenant);
        return everyTenant || tenants.contains(tenant) ? Optional.of(tenant) : Optional.empty();
    }
}
