package com.databox.cmk.emulator.identity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.identity.ManagedIdentityCredential;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.TestNames;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdentityEndpointTest {

    private static final TokenRequestContext VAULT_SCOPE =
            new TokenRequestContext().addScopes("https://vault.azure.net/.default");

    @Test
    void deletedIdentityCannotGetAToken() {
        EmulatorAdminClient admin = EmulatorTestSupport.admin();
        // A fresh identity: MSAL caches tokens per identity for the JVM's life.
        IdentityInfo identity = admin.createIdentity(TestNames.unique("uai-gone"), null);
        admin.deleteIdentity(identity.name());
        ManagedIdentityCredential credential = new ManagedIdentityCredentialBuilder()
                .resourceId(identity.resourceId())
                .build();

        ClientAuthenticationException e =
                assertThrows(ClientAuthenticationException.class, () -> credential.getTokenSync(VAULT_SCOPE));
        // azure-identity's own message is generic; the endpoint's answer is in the inner (MSAL) exception.
        String messages = messages(e);
        assertTrue(messages.contains(identity.name()), messages);
        assertTrue(messages.contains("No User Assigned or Delegated Managed Identity found"), messages);
    }

    @Test
    void unknownClientIdCannotGetAToken() {
        EmulatorTestSupport.shared();
        String clientId = UUID.randomUUID().toString();
        ManagedIdentityCredential credential =
                new ManagedIdentityCredentialBuilder().clientId(clientId).build();

        ClientAuthenticationException e =
                assertThrows(ClientAuthenticationException.class, () -> credential.getTokenSync(VAULT_SCOPE));
        assertTrue(messages(e).contains("client_id=" + clientId), messages(e));
    }

    @Test
    void appIdentityAndUserAssignedIdentityGetTokens() {
        IdentityInfo identity = EmulatorTestSupport.admin().createIdentity(TestNames.unique("uai-token"), null);
        assertFalse(new ManagedIdentityCredentialBuilder()
                .build()
                .getTokenSync(VAULT_SCOPE)
                .getToken()
                .isEmpty());
        assertFalse(new ManagedIdentityCredentialBuilder()
                .resourceId(identity.resourceId().toUpperCase(Locale.ROOT))
                .build()
                .getTokenSync(VAULT_SCOPE)
                .isExpired());
    }

    @Test
    void userAssignedIdentityGetsATokenByItsObjectId() {
        IdentityInfo identity = EmulatorTestSupport.admin().createIdentity(TestNames.unique("uai-oid"), null);
        String token = new ManagedIdentityCredentialBuilder()
                .objectId(identity.principalId())
                .build()
                .getTokenSync(VAULT_SCOPE)
                .getToken();
        String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"oid\":\"" + identity.principalId() + "\""), claims);
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
