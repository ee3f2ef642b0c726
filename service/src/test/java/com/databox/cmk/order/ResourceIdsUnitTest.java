package com.databox.cmk.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The typed resource IDs that requests are parsed into. */
class ResourceIdsUnitTest {
    private static final String UAI = "/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/rg/"
            + "providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1";

    @Test
    void parsesAUserAssignedIdentityResourceId() {
        assertThat(UserAssignedIdentityId.parse(UAI, "target").value()).isEqualTo(UAI);
    }

    @Test
    void comparesUserAssignedIdentityIdsIgnoringCase() {
        assertThat(new UserAssignedIdentityId(UAI.toUpperCase(Locale.ROOT)))
                .isEqualTo(new UserAssignedIdentityId(UAI))
                .hasSameHashCodeAs(new UserAssignedIdentityId(UAI));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1",
                "/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/../providers/"
                        + "Microsoft.ManagedIdentity/userAssignedIdentities/uai-1",
                "/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/rg/providers/"
                        + "Microsoft.ManagedIdentity/userAssignedIdentities/uai-1?api-version=1",
                "https://evil.example/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/rg/providers/"
                        + "Microsoft.ManagedIdentity/userAssignedIdentities/uai-1",
                "/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/rg/providers/"
                        + "Microsoft.KeyVault/vaults/contoso",
                ""
            })
    void refusesAnythingButTheStrictShapeOfAUserAssignedIdentity(String text) {
        assertThatThrownBy(() -> UserAssignedIdentityId.parse(text, "identity.userAssignedIdentities"))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.InvalidRequest);
                    assertThat(e.target()).isEqualTo("identity.userAssignedIdentities");
                });
    }

    @Test
    void abbreviatesALongRefusedResourceIdInTheMessageKeepingItsEnd() {
        String longText = "x".repeat(500) + "-end";
        assertThatThrownBy(() -> UserAssignedIdentityId.parse(longText, "t"))
                .hasMessageContaining("x".repeat(120) + "…" + "x".repeat(116) + "-end'")
                .hasMessageNotContaining("x".repeat(121));
    }

    /** A resource ID is usually wrong at its end (the name): the message shows all of it. */
    @Test
    void showsARefusedResourceIdOfUsualLengthWhole() {
        String wrongName = UAI.substring(0, UAI.lastIndexOf('/') + 1) + "a b";
        assertThatThrownBy(() -> UserAssignedIdentityId.parse(wrongName, "t"))
                .hasMessageContaining("'" + wrongName + "'");
    }

    @Test
    void aMissingVaultResourceIdStaysMissing() {
        assertThat(VaultResourceId.parseOptional(null)).isNull();
    }

    @Test
    void parsesAVaultOrManagedHsmResourceId() {
        assertThat(VaultResourceId.parseOptional(
                                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/" + "managedHSMs/hsm1")
                        .value())
                .endsWith("hsm1");
    }

    @Test
    void refusesAVaultResourceIdOfAnotherResourceType() {
        assertThatThrownBy(() -> VaultResourceId.parseOptional(UAI))
                .isInstanceOfSatisfying(
                        ServiceException.class, e -> assertThat(e.target()).isEqualTo("kekVaultResourceID"));
    }

    /** A vault resource ID of 512 characters is taken; one of 513 is refused (mt2: the bound was untested). */
    @Test
    void aVaultResourceIdOfAtMost512CharactersIsTaken() {
        String prefix = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/";
        String longest = prefix + "v".repeat(512 - prefix.length());
        assertThat(VaultResourceId.parseOptional(longest).value()).hasSize(512);
        assertThatThrownBy(() -> VaultResourceId.parseOptional(longest + "v"))
                .isInstanceOfSatisfying(
                        ServiceException.class, e -> assertThat(e.target()).isEqualTo("kekVaultResourceID"));
    }
}
