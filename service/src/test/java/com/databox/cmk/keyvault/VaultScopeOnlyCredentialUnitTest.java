package com.databox.cmk.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Issue 12: a Key Vault client never obtains a token for another audience, whatever a vault's challenge says. */
class VaultScopeOnlyCredentialUnitTest {
    private final List<List<String>> asked = new ArrayList<>();
    private final VaultScopeOnlyCredential credential = new VaultScopeOnlyCredential(request -> {
        asked.add(request.getScopes());
        return Mono.just(new AccessToken("t", OffsetDateTime.now().plusHours(1)));
    });

    @Test
    void givesKeyVaultTokens() {
        assertThat(credential
                        .getTokenSync(new TokenRequestContext().addScopes("https://vault.azure.net/.default"))
                        .getToken())
                .isEqualTo("t");
        assertThat(credential
                        .getToken(new TokenRequestContext().addScopes("https://managedhsm.azure.net/.default"))
                        .block()
                        .getToken())
                .isEqualTo("t");
    }

    @Test
    void refusesManagementAndEveryOtherScopeBeforeAskingForAToken() {
        for (String scope : List.of(
                "https://management.azure.com/.default",
                "https://management.core.windows.net/.default",
                "https://storage.azure.com/.default",
                "https://vault.azure.net.evil.example/.default",
                "api://databox-cmk/.default")) {
            assertThatThrownBy(() -> credential.getTokenSync(new TokenRequestContext().addScopes(scope)))
                    .as(scope)
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> credential
                            .getToken(new TokenRequestContext().addScopes(scope))
                            .block())
                    .as(scope)
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> credential.getTokenSync(new TokenRequestContext()
                        .addScopes("https://vault.azure.net/.default", "https://management.azure.com/.default")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(asked).isEmpty();
    }
}
