package com.databox.cmk.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The resolutions tell the customer only what the service then accepts (ERRORS.md, "Recovery"): no
 * advice whose first step it refuses.
 */
class ErrorCodeResolutionsUnitTest {
    @Test
    void theCrossTenantResolutionGivesTheRemediesTheServiceAccepts() {
        String resolution = ErrorCode.SsemUserErrorCrossTenantIdentityAccessForbidden.resolution();
        // An identity of the vault's tenant cannot be attached by a caller of another tenant
        // (LinkedAuthorizationFailed).
        assertThat(resolution).doesNotContain("use an identity of the vault's tenant");
        assertThat(resolution)
                .contains("back")
                .contains("None and then SystemAssigned")
                .contains("federatedIdentityClientId");
        // An order's system-assigned identity is the service subscription's tenant's: a caller of another tenant
        // cannot move it, only use an identity of its own (SECURITY.md, "Where a system-assigned identity lives").
        assertThat(resolution).contains("user-assigned identity of your tenant");
    }

    @Test
    void theTenantMoveAdviceSaysHowAKeyUsedThroughAUserAssignedIdentityMovesToTheNewOne() {
        // Identity None is refused while the key uses a user-assigned identity: the key's identity must change too.
        assertThat(ErrorCode.SsemUserErrorKeyDetailsNotFound.resolution())
                .contains("change the key's identity to SystemAssigned");
        assertThat(ErrorCode.SsemUserErrorKeyVaultDetailsNotFound.resolution()).contains("change the key's identity");
    }

    @Test
    void thePermissionAdviceDoesNotSendAFirewalledVaultToTheSystemAssignedIdentity() {
        // The firewall refuses the service's identities, system-assigned too (they are no trusted Microsoft
        // service); a firewall's refusal has its own resolution (KeyVaultErrors).
        assertThat(ErrorCode.SsemUserErrorKeyVaultBadRequestException.resolution())
                .contains("Get, WrapKey and UnwrapKey")
                .doesNotContain("firewall")
                .doesNotContain("system-assigned");
    }
}
