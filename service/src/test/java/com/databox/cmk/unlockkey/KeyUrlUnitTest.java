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
}
