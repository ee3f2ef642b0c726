package com.databox.cmk.identity;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.identity.ClientAssertionCredentialBuilder;
import com.databox.cmk.cache.BoundedCache;
import com.databox.cmk.error.Causes;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Where and how a managed identity's token is exchanged for a multi-tenant application's token in
 * another tenant (Azure Storage's cross-tenant customer-managed keys; issue 12, item 8): Entra ID's
 * token endpoint on {@code authorityHost}, client credentials with a client assertion.
 * {@code knownAuthority} false (only the local emulator) skips Entra ID's instance discovery.
 */
public record CrossTenantExchange(String authorityHost, boolean knownAuthority, HttpClient httpClient) {
    /** The audience of the managed identity's token that a federated identity credential accepts. */
    public static final String EXCHANGE_SCOPE = "api://AzureADTokenExchange/.default";

    public static final String PUBLIC_AUTHORITY = "https://login.microsoftonline.com";

    private static final int MAX_TENANTS_PER_APPLICATION = 16;
    private static final Pattern TENANT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", Pattern.CASE_INSENSITIVE);

    /** The credential of application {@code clientId}, asserted by {@code assertedBy}'s exchange token. */
    TokenCredential credential(TokenCredential assertedBy, String clientId) {
        return new ApplicationCredential(assertedBy, clientId);
    }

    /**
     * The tenant comes from the request: the Key Vault client names the vault's tenant, as the vault's
     * 401 challenge gave it ({@code authorization="https://login.microsoftonline.com/{tenant}"}). One
     * client-assertion credential per tenant, so that each caches its own tokens.
     */
    private final class ApplicationCredential implements TokenCredential {
        private final TokenCredential assertedBy;
        private final String clientId;
        /**
         * The tenants of the vaults this application's keys were asked in: a few; bounded all the same, as the
         * tenant is the one a vault's challenge names, and the order's key URL is the caller's to choose.
         */
        private final BoundedCache<String, TokenCredential> perTenant =
                new BoundedCache<>(MAX_TENANTS_PER_APPLICATION, Duration.ofHours(1));

        ApplicationCredential(TokenCredential assertedBy, String clientId) {
            this.assertedBy = assertedBy;
            this.clientId = clientId;
        }

        /**
         * The exchange blocks (the assertion is the identity's token, asked synchronously), and the
         * Key Vault clients ask for tokens on Vert.x's event loop, which also carries the identity
         * endpoint's answer: the blocking part runs on a worker, never on the event loop.
         */
        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.fromCallable(() -> getTokenSync(request)).subscribeOn(Schedulers.boundedElastic());
        }

        @Override
        public AccessToken getTokenSync(TokenRequestContext request) {
            String tenant = request.getTenantId();
            if (tenant == null || !TENANT.matcher(tenant).matches()) {
                throw new CrossTenantTokenRefused(
                        "The key vault named no tenant to ask a token of the application " + clientId + " in.",
                        null,
                        null);
            }
            // The identity's own failure (deleted, not the app's) surfaces as it is, before any exchange.
            assertion();
            TokenCredential exchange = perTenant.get(tenant.toLowerCase(Locale.ROOT), this::exchangeIn);
            try {
                return exchange.getTokenSync(request);
            } catch (TokenServiceUnavailable outage) {
                throw outage; // Entra ID down or throttling: no refusal of the application, retry later
            } catch (RuntimeException refused) {
                // The order's identity's own token, asked again for the assertion: the service's fault, not the
                // application's refusal.
                Causes.find(refused, IdentityEndpointRefusedService.class).ifPresent(serviceRefused -> {
                    throw serviceRefused;
                });
                throw new CrossTenantTokenRefused(
                        "Entra ID in the tenant " + tenant + " issued no token to the application " + clientId
                                + " for a client assertion of the order's identity.",
                        tenant,
                        refused);
            }
        }

        private String assertion() {
            return assertedBy
                    .getTokenSync(new TokenRequestContext().addScopes(EXCHANGE_SCOPE))
                    .getToken();
        }

        /** Its token endpoint's answers watched, as the identity's own token service's are. */
        private TokenCredential exchangeIn(String tenant) {
            return TokenServiceWatch.watched(
                    watchedClient -> {
                        ClientAssertionCredentialBuilder builder =
                                new ClientAssertionCredentialBuilder().httpLogOptions(SdkHttpLogs.none());
                        if (!knownAuthority) {
                            builder.disableInstanceDiscovery();
                        }
                        return builder.tenantId(tenant)
                                .clientId(clientId)
                                .clientAssertion(this::assertion)
                                .authorityHost(authorityHost)
                                .httpClient(watchedClient)
                                .build();
                    },
                    httpClient);
        }
    }
}
