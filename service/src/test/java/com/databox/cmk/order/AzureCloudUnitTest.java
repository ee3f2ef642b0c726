package com.databox.cmk.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.unlockkey.KeyUrl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The order's location decides its cloud and the one Key Vault suffix its key may use (issue 11, item 8). */
class AzureCloudUnitTest {

    @ParameterizedTest
    @CsvSource({
        "westus, PUBLIC",
        "westeurope, PUBLIC",
        "usgovvirginia, US_GOVERNMENT",
        "usgovarizona, US_GOVERNMENT",
        "usdodeast, US_GOVERNMENT",
        "chinaeast2, CHINA",
        "chinanorth3, CHINA"
    })
    void theLocationDecidesTheCloud(String location, AzureCloud cloud) {
        assertThat(AzureCloud.ofLocation(location)).isEqualTo(cloud);
    }

    @ParameterizedTest
    @CsvSource({
        "westus, https://contoso.vault.azure.net/keys/k",
        "usgovvirginia, https://contoso.vault.usgovcloudapi.net/keys/k",
        "chinaeast2, https://contoso.vault.azure.cn/keys/k"
    })
    void acceptsTheVaultHostOfTheOrdersCloud(String location, String url) {
        AzureCloud.ofLocation(location).requireHost(KeyUrl.parse(url), location);
    }

    @ParameterizedTest
    @CsvSource({
        "westus, https://contoso.vault.usgovcloudapi.net/keys/k",
        "westus, https://contoso.vault.azure.cn/keys/k",
        "usgovvirginia, https://contoso.vault.azure.net/keys/k",
        "chinaeast2, https://contoso.vault.azure.net/keys/k",
        "westus, https://contoso.managedhsm.azure.net/keys/k"
    })
    void refusesAnotherCloudsHostAndManagedHsm(String location, String url) {
        assertThatThrownBy(() -> AzureCloud.ofLocation(location).requireHost(KeyUrl.parse(url), location))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultUrlInvalidHost);
                    assertThat(e.getMessage()).contains(location);
                });
    }
}
