package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issue 12's rules at the HTTP edge, without Quarkus: which tenants are served, which paths are plain. */
class EdgeRulesUnitTest {
    private static final String A = UUID.randomUUID().toString();
    private static final String B = UUID.randomUUID().toString();

    @Test
    void anAllowListAdmitsOnlyItsTenants() {
        TenantAdmission admission = TenantAdmission.of(List.of(A, " " + B.toUpperCase(Locale.ROOT) + " "));
        assertThat(admission.admit(A)).isPresent();
        assertThat(admission.admit(B)).isPresent();
        assertThat(admission.admit(UUID.randomUUID().toString())).isEmpty();
        assertThat(admission.admit(null)).isEmpty();
    }

    @Test
    void everyTenantStillMeansTenantIdsOnly() {
        TenantAdmission admission = TenantAdmission.of(List.of("*"));
        assertThat(admission.admit(UUID.randomUUID().toString())).isPresent();
        for (String bad : List.of("common", "organizations", "../x", "evil.example/a", "", "a%2fb")) {
            assertThat(admission.admit(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void aMisconfiguredListFailsAtStart() {
        assertThatThrownBy(() -> TenantAdmission.of(List.of("contoso.onmicrosoft.com")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyPlainPathsAreCanonical() {
        assertThat(CanonicalPaths.isCanonical("/api/orders/o-1/encryption/enable"))
                .isTrue();
        assertThat(CanonicalPaths.isCanonical("/permission-audit")).isTrue();
        // An ARM client encodes a job name with a space: the route's own rules answer it.
        assertThat(CanonicalPaths.isCanonical("/api/subscriptions/s/jobs/no%20spaces"))
                .isTrue();
        for (String path : List.of(
                "/api/%2e%2e/permission-audit",
                "/api/%2E%2E/permission-audit",
                "/api/orders%2f..%2fx",
                "/api/%5c..%5cpermission-audit",
                "/api/%252e%252e/permission-audit",
                "/api/orders/%00",
                "/api/orders/%zz",
                "/api/orders/%2",
                "/api/../permission-audit",
                "//permission-audit",
                "/./audit-shard",
                "/api/orders/..",
                "/api\\..\\permission-audit",
                "/audit-shard;x",
                "/api/orders/o-1/",
                "/api/orders/",
                "/api;x/orders",
                "/api/orders/o-1;a=1/encryption/validate",
                "/api/orders/o%3B1",
                "api/orders",
                "")) {
            assertThat(CanonicalPaths.isCanonical(path)).as(path).isFalse();
        }
    }
}
