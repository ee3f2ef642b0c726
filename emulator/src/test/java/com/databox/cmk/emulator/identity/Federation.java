package com.databox.cmk.emulator.identity;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ClientAssertionCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Supplier;

/** A managed identity's token exchanged for a multi-tenant application's, as the official clients do it. */
final class Federation {
    static final TokenRequestContext EXCHANGE =
            new TokenRequestContext().addScopes("api://AzureADTokenExchange/.default");
    static final TokenRequestContext VAULT = new TokenRequestContext().addScopes("https://vault.azure.net/.default");

    private Federation() {}

    /** The identity's token for {@code api://AzureADTokenExchange}: the application's client assertion. */
    static Supplier<String> assertionOf(IdentityInfo identity) {
        TokenCredential managed = new ManagedIdentityCredentialBuilder()
                .resourceId(identity.resourceId())
                .build();
        return () -> managed.getTokenSync(EXCHANGE).getToken();
    }

    /** The application of {@code clientId}, signed in to {@code tenant} with {@code assertion}. */
    static TokenCredential exchange(String tenant, String clientId, Supplier<String> assertion) {
        return new ClientAssertionCredentialBuilder()
                .tenantId(tenant)
                .clientId(clientId)
                .clientAssertion(assertion)
                .authorityHost(EmulatorTestSupport.shared().entraAuthorityHost())
                .httpClient(EmulatorTestSupport.sdkHttpClient())
                .disableInstanceDiscovery()
                .build();
    }

    static JsonNode claims(String jwt) {
        try {
            return Json.MAPPER.readTree(Json.fromBase64Url(jwt.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The messages of {@code e} and its causes, one a line. */
    static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
