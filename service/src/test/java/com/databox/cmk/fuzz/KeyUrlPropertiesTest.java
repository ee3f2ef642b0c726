package com.databox.cmk.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.unlockkey.KeyUrl;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The key-URL allow-list on its own, driven by jqwik's engine (no app needed): the same hostile key
 * URLs as the API fuzzing, many more of them, in milliseconds. Every refusal is a
 * {@link ServiceException} with one of the key-URL codes, never another exception, and nothing that
 * passes names a host outside the allow-list. Tries: jqwik's default (1000) per property, or
 * {@code -Djqwik.tries.default=N}.
 */
class KeyUrlPropertiesTest {

    private static final String LOCAL = "127.0.0.1:4443";
    private static final VaultHostPolicy POLICY = VaultHostPolicy.of(
            List.of("vault.azure.net", "vault.usgovcloudapi.net", "vault.azure.cn", "managedhsm.azure.net"),
            List.of(LOCAL));
    private static final Set<ErrorCode> URL_CODES = Set.of(
            ErrorCode.SsemUserErrorInvalidKeyVaultUrl,
            ErrorCode.SsemUserErrorKeyVaultUrlWithInvalidScheme,
            ErrorCode.SsemUserErrorKeyVaultUrlInvalidHost);

    @Provide
    Arbitrary<String> refused() {
        return HostileInputs.refusedKeyUrls(LOCAL);
    }

    @Provide
    Arbitrary<String> mutated() {
        return HostileInputs.mutatedKeyUrls(
                "https://contoso.vault.azure.net/keys/databox-kek/0123456789abcdef0123456789abcdef");
    }

    @Property
    void hostileKeyUrlsAreRefusedWithAKeyUrlCode(@ForAll("refused") String url) {
        Throwable refusal = catchThrowable(() -> POLICY.check(url));
        assertThat(refusal).as(url).isInstanceOf(ServiceException.class);
        assertThat(((ServiceException) refusal).code()).as(url).isIn(URL_CODES);
    }

    @Property
    void whateverPassesIsAnAllowedHostOnTheHttpsPort(@ForAll("mutated") String url) {
        KeyUrl key;
        try {
            key = POLICY.check(url);
        } catch (ServiceException refused) {
            assertThat(refused.code()).as(url).isIn(URL_CODES);
            return;
        }
        assertThat(key.scheme()).isEqualTo("https");
        assertThat(key.port()).as(url).isIn(-1, 443);
        assertThat(key.host())
                .as(url)
                .matches("[a-z0-9-]+\\.(vault\\.azure\\.net|vault\\.usgovcloudapi\\.net|vault\\.azure\\.cn"
                        + "|managedhsm\\.azure\\.net)");
        assertThat(key.keyId())
                .as("what is called is what was given, no more")
                .doesNotContain("@", "?", "#", "\\", "..");
    }
}
