package com.databox.cmk.unlockkey;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Mutation testing (mt1): {@link KeyUrl#parse} takes a key URL with a trailing slash (as copied from a browser) as
 * the same key without it; negating or changing the trailing-slash rule went unnoticed by every unit test.
 */
class KeyUrlUnitTest {
    private static final String VERSION = "0123456789abcdef0123456789abcdef";

    @Test
    void aTrailingSlashNamesTheSameKey() {
        assertThat(KeyUrl.parse("https://contoso.vault.azure.net/keys/databox-kek/"))
                .isEqualTo(KeyUrl.parse("https://contoso.vault.azure.net/keys/databox-kek"));
        assertThat(KeyUrl.parse("https://contoso.vault.azure.net/keys/databox-kek/" + VERSION + "/"))
                .isEqualTo(KeyUrl.parse("https://contoso.vault.azure.net/keys/databox-kek/" + VERSION));
    }

    /**
     * The same key in any spelling {@code parse} takes is the same key (differential bug bash: a job's PATCH sending its
     * key back with HTTPS's port, or a trailing slash, was taken for another key); another version, name, vault or
     * port, or a version against none, is not.
     */
    @Test
    void namesSameKeyAsInAnyAcceptedSpellingButNotAnotherKey() {
        KeyUrl stored = KeyUrl.parse("https://contoso.vault.azure.net/keys/databox-kek/" + VERSION);

        for (String sameKey : java.util.List.of(
                "https://contoso.vault.azure.net:443/keys/databox-kek/" + VERSION,
                "https://contoso.vault.azure.net/keys/databox-kek/" + VERSION + "/",
                "HTTPS://Contoso.Vault.Azure.NET:443/keys/Databox-KEK/" + VERSION.toUpperCase(java.util.Locale.ROOT))) {
            assertThat(KeyUrl.parse(sameKey).namesSameKeyAs(stored)).as(sameKey).isTrue();
            assertThat(stored.namesSameKeyAs(KeyUrl.parse(sameKey))).as(sameKey).isTrue();
        }
        for (String another : java.util.List.of(
                "https://contoso.vault.azure.net/keys/databox-kek/" + VERSION.replace('0', '1'),
                "https://contoso.vault.azure.net/keys/databox-kek",
                "https://contoso.vault.azure.net/keys/other-kek/" + VERSION,
                "https://fabrikam.vault.azure.net/keys/databox-kek/" + VERSION,
                "https://contoso.vault.azure.net:8443/keys/databox-kek/" + VERSION)) {
            assertThat(KeyUrl.parse(another).namesSameKeyAs(stored)).as(another).isFalse();
            assertThat(stored.namesSameKeyAs(KeyUrl.parse(another))).as(another).isFalse();
        }
        assertThat(stored.namesSameKeyAs(null)).isFalse();
    }
}
