package com.databox.cmk.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which role assignments ARM listed count for the caller's permission to assign an identity. */
class ArmIdentityUseUnitTest {
    private static final String IDENTITY = "/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/rg-a"
            + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1";

    @ParameterizedTest
    @CsvSource({
        // the identity itself, and each scope above it, in any case
        "/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/rg-a/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1, true",
        "/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/RG-A, true",
        "/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a, true",
        "/providers/Microsoft.Management/managementGroups/contoso, true",
        "/, true",
        // another identity whose name starts the same, another group, another subscription, nothing
        "/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/rg-a/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-10, false",
        "/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/rg-ab, false",
        "/subscriptions/00000000-0000-0000-0000-000000000000, false",
        "'', false",
    })
    void anAssignmentCountsAtTheIdentityOrAScopeAboveIt(String scope, boolean covers) {
        assertThat(ArmIdentityUse.covers(scope, IDENTITY)).isEqualTo(covers);
    }
}
