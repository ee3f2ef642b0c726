package com.databox.cmk.emulator.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The api-versions Key Vault's data plane accepts, as the emulator checks them on every request. */
class ApiVersionsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "7.0",
                "7.4",
                "7.6",
                "7.5-preview",
                "7.6-preview.2",
                "2016-10-01",
                "2025-07-01",
                "2025-06-01-preview"
            })
    void aVersionKeyVaultKnowsIsAccepted(String version) {
        assertThatCode(() -> ApiVersions.check(version)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "7.7",
                "6.0",
                "7.60",
                "2016-09-30",
                "2025-07-02",
                "2025-7-01",
                "2019-01-01",
                "2024-13-45",
                "2024-02-30-preview",
                "latest",
                " 7.5",
                "7.5 "
            })
    void anUnknownVersionIsABadParameter(String version) {
        assertThatThrownBy(() -> ApiVersions.check(version))
                .isInstanceOfSatisfying(KeyVaultException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("BadParameter");
                })
                .hasMessageContaining("is not recognized");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void aMissingVersionIsABadParameter(String version) {
        assertThatThrownBy(() -> ApiVersions.check(version)).hasMessageContaining("missing the required 'api-version'");
    }
}
