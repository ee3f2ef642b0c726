package com.databox.cmk.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.unlockkey.KeyUrl;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Key Vault host allow-list: which URLs may ever be called, decided before any connection. */
class VaultHostPolicyTest {
    private static final VaultHostPolicy PRODUCTION = new VaultHostPolicy(
            List.of("vault.azure.net", "vault.usgovcloudapi.net", "vault.azure.cn", "managedhsm.azure.net"), List.of());
    private static final VaultHostPolicy LOCAL =
            VaultHostPolicy.of(List.of("vault.azure.net"), List.of("127.0.0.1:20000-29999", "127.0.0.3:4443"));

    @ParameterizedTest
    @CsvSource({
        "https://contoso.vault.azure.net/keys/databox-kek, contoso.vault.azure.net, databox-kek, ",
        "https://Contoso.Vault.Azure.Net/keys/k/0123456789abcdef0123456789abcdef, contoso.vault.azure.net, k, 0123456789abcdef0123456789abcdef",
        "https://contoso.vault.azure.net:443/keys/k/, contoso.vault.azure.net, k, ",
        "https://gov-vault.vault.usgovcloudapi.net/keys/k, gov-vault.vault.usgovcloudapi.net, k, ",
    })
    void acceptsKeyUrlsOfAllowedKeyVaultHosts(String url, String host, String name, String version) {
        KeyUrl key = PRODUCTION.check(url);
        assertThat(key.host()).isEqualTo(host);
        assertThat(key.name()).isEqualTo(name);
        assertThat(key.version()).isEqualTo(version);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://contoso.vault.azure.net:8443/keys/k", // odd port
                "https://contoso.vault.azure.net./keys/k", // trailing dot
                "https://evilvault.azure.net/keys/k", // suffix not on a label boundary
                "https://a.b.vault.azure.net/keys/k", // a vault name is one label
                "https://vault.azure.net/keys/k", // the bare suffix
                "https://10.0.0.1/keys/k", // IP literal
                "https://169.254.169.254/keys/k", // metadata endpoint
                "https://[::1]/keys/k", // IPv6 literal
                "https://127.0.0.1:8443/keys/k", // loopback outside the local profile
                "https://contoso.example.com/keys/k",
                "https://contoso.vault.azure.net.evil.com/keys/k",
            })
    void refusesHostsOutsideTheAllowList(String url) {
        assertThatThrownBy(() -> PRODUCTION.check(url))
                .isInstanceOf(ServiceException.class)
                .extracting(e -> ((ServiceException) e).code())
                .isEqualTo(ErrorCode.SsemUserErrorKeyVaultUrlInvalidHost);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://user@contoso.vault.azure.net/keys/k", // userinfo
                "https://user:pw@contoso.vault.azure.net/keys/k",
                "https://contoso%2evault.azure.net/keys/k", // encoded dot
                "https://contoso.vault.azure.net/keys/k?x=1", // query
                "https://contoso.vault.azure.net/keys/k#f", // fragment
                "https://contoso.vault.azure.net/secrets/k", // not a key
                "https://contoso.vault.azure.net/keys/",
                "https://contoso.vault.azure.net/keys/k/v/extra",
                "https://contoso.vault.azure.net/keys/k/versions", // another route of the key, not a version
                "https://contoso.vault.azure.net/keys/k/rotationpolicy",
                "https://contoso.vault.azure.net/keys/k/Versions",
                "https://contoso.vault.azure.net/keys/k/rotate",
                "https://contoso.vault.azure.net/keys/k%2F..%2Fsecrets",
                "https://contoso.vault.azure.net/keys/../secrets/s",
                "not a url",
                "https://contoso.vault.azure.net/keys/k\u0000", // control character (once trimmed away)
                " https://contoso.vault.azure.net/keys/k",
                "",
            })
    void refusesWhatIsNotAKeyUrl(String url) {
        assertThatThrownBy(() -> PRODUCTION.check(url))
                .isInstanceOf(ServiceException.class)
                .extracting(e -> ((ServiceException) e).code())
                .isEqualTo(ErrorCode.SsemUserErrorInvalidKeyVaultUrl);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://contoso.vault.azure.net/keys/k", "ftp://contoso.vault.azure.net/keys/k"})
    void refusesSchemesOtherThanHttps(String url) {
        assertThatThrownBy(() -> PRODUCTION.check(url))
                .isInstanceOf(ServiceException.class)
                .extracting(e -> ((ServiceException) e).code())
                .isEqualTo(ErrorCode.SsemUserErrorKeyVaultUrlWithInvalidScheme);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://127.0.0.1:20000/keys/databox-mmk",
                "https://127.0.0.1:29999/keys/k/0123456789ABCDEF0123456789ABCDEF",
                "https://127.0.0.3:4443/keys/k"
            })
    void theLocalProfileAllowsItsEmulatorsVaultPorts(String url) {
        assertThat(LOCAL.check(url)).isNotNull();
        assertThat(LOCAL.isLocal(LOCAL.check(url))).isTrue();
        assertThatThrownBy(() -> PRODUCTION.check(url)).isInstanceOf(ServiceException.class);
    }

    /** Issue 12, item 7: another local port (the emulator's admin API, a database, …) is never a vault. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://127.0.0.1:8180/keys/k",
                "https://127.0.0.1:19999/keys/k",
                "https://127.0.0.1:30000/keys/k",
                "https://127.0.0.1/keys/k",
                "https://127.0.0.3:4444/keys/k",
                "https://localhost:4443/keys/k",
                "https://127.0.0.2:20000/keys/k"
            })
    void theLocalProfileRefusesEveryOtherLocalPort(String url) {
        assertThatThrownBy(() -> LOCAL.check(url))
                .isInstanceOf(ServiceException.class)
                .extracting(e -> ((ServiceException) e).code())
                .isEqualTo(ErrorCode.SsemUserErrorKeyVaultUrlInvalidHost);
    }

    /** Bug bash of 2026-12-06, Key Vault F2: ":443" made the same vault another one, and a refused port blamed the host. */
    @Test
    void httpsOwnPortIsTheSameVaultAndAnotherPortIsRefusedForItself() {
        KeyUrl withPort = PRODUCTION.check("https://contoso.vault.azure.net:443/keys/k2");
        assertThat(withPort.sameVaultAs(KeyUrl.parse("https://contoso.vault.azure.net/keys/k1/" + "0".repeat(32))))
                .isTrue();
        assertThat(withPort.keyId()).isEqualTo("https://contoso.vault.azure.net/keys/k2");
        assertThatThrownBy(() -> PRODUCTION.check("https://contoso.vault.azure.net:8443/keys/k"))
                .isInstanceOf(ServiceException.class)
                .hasMessageContaining("port 8443")
                .hasMessageNotContaining("not an allowed Key Vault host");
        assertThatThrownBy(() -> PRODUCTION.check("https://contoso.example.com:8443/keys/k"))
                .hasMessageContaining("not an allowed Key Vault host");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:0", "127.0.0.1:5-4", "127.0.0.1:70000", "127.0.0.1:*"})
    void aLocalEntryMustNameItsPorts(String entry) {
        assertThatThrownBy(() -> VaultHostPolicy.of(List.of("vault.azure.net"), List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Bug bash sx1 (outbound request hygiene), B4: a local vault address is for the emulator on this machine
     * (CONFIGURATION.md, cmk.keyvault.allowed-local-hosts: "local only"; SECURITY.md: "The local profile admits
     * 127.0.0.1 vaults on the emulator's vault ports only"), and a host it admits has the SDK's challenge resource
     * verification turned off (KeyVaultClients). An entry naming any other host started the app all the same.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "evil.example.com:443",
                "contoso.vault.azure.net:443",
                "10.0.0.5:8443",
                "169.254.169.254:80",
                "127.0.0.1.evil.example.com:443",
                "127.0.0.256:443",
                "[::2]:443",
                "localhost:4443",
                "[::1]:4443"
            })
    void aLocalEntryNamesALoopbackAddress(String entry) {
        // localhost and [::1] too (review rv16 L2): the emulator names its keys on 127.0.0.1, and every key under
        // such an entry answered 503 for the key ID Key Vault named on another host.
        assertThatThrownBy(() -> VaultHostPolicy.of(List.of("vault.azure.net"), List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cmk.keyvault.allowed-local-hosts entry");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:4443", "127.1.2.3:4443", "127.255.255.254:4443"})
    void aLoopbackLocalEntryIsTaken(String entry) {
        String url = "https://" + entry.toLowerCase(java.util.Locale.ROOT) + "/keys/k";
        assertThat(VaultHostPolicy.of(List.of("vault.azure.net"), List.of(entry))
                        .isLocal(KeyUrl.parse(url)))
                .isTrue();
    }

    /** Bug bash bb95 L6: "net" admitted any "<name>.net" as a Key Vault host, and "*" started an app no vault passed. */
    @ParameterizedTest
    @ValueSource(
            strings = {"net", "*", "*.vault.azure.net", "vault..azure.net", "-vault.azure.net", "vault.azure.net."})
    void anAllowedSuffixIsADnsSuffixOfTwoLabelsAtLeast(String suffix) {
        assertThatThrownBy(() -> VaultHostPolicy.of(List.of(suffix), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cmk.keyvault.allowed-host-suffixes: '" + suffix + "'");
    }

    @Test
    void anAllowedSuffixMayStartWithADot() {
        assertThat(VaultHostPolicy.of(List.of(".vault.azure.net"), List.of())
                        .check("https://contoso.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef")
                        .host())
                .isEqualTo("contoso.vault.azure.net");
    }
}
