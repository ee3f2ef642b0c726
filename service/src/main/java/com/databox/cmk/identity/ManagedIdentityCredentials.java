package com.databox.cmk.identity;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.identity.ClientAssertionCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.databox.cmk.cache.BoundedCache;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One credential per identity, reused so that its token is reused until it expires; at most
 * {@link #MAX_IDENTITIES}, each dropped after {@link #MAX_IDLE} unused (a credential holds its
 * identity's tokens, and callers name as many identities as they like). On Azure a
 * managed-identity credential: the endpoint comes from the platform ({@code IDENTITY_ENDPOINT} and
 * {@code IDENTITY_HEADER}, set by App Service / Azure Functions, locally by the emulator). Outside
 * Azure ({@link #clientAssertion}) a client-assertion credential: workload identity federation. A
 * multi-tenant application federated with a managed identity gets its token in the key vault's tenant
 * by exchanging that identity's token ({@link CrossTenantExchange}).
 */
public final class ManagedIdentityCredentials {
    /** Builds an identity's credential (HttpClient too is a functional interface: this type tells them apart). */
    private interface Factory extends Function<WrappingIdentity, TokenCredential> {}

    static final int MAX_IDENTITIES = 1024;
    static final Duration MAX_IDLE = Duration.ofHours(1);

    private final Factory factory;
    private final CrossTenantExchange exchange;
    private final BoundedCache<WrappingIdentity, TokenCredential> credentials =
            new BoundedCache<>(MAX_IDENTITIES, MAX_IDLE);

    /** The identity endpoint's calls and the token services' on one client (tests, which configure no proxy). */
    public ManagedIdentityCredentials(HttpClient httpClient) {
        this(httpClient, httpClient);
    }

    /**
     * {@code identityEndpointClient} reaches the platform's identity endpoint (never through a proxy: {@code
     * SdkHttpClients.forIdentityEndpoint}), {@code tokenServiceClient} Entra ID for the exchange of tokens.
     */
    public ManagedIdentityCredentials(HttpClient identityEndpointClient, HttpClient tokenServiceClient) {
        this(
                (Factory) id -> TokenServiceWatch.watchedIdentityEndpoint(
                        watchedClient -> {
                            ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder()
                                    .httpClient(watchedClient)
                                    .httpLogOptions(SdkHttpLogs.none());
                            if (id instanceof WrappingIdentity.ManagedIdentity managed) {
                                builder.resourceId(managed.resourceId().value());
                            }
                            return builder.build();
                        },
                        identityEndpointClient),
                new CrossTenantExchange(CrossTenantExchange.PUBLIC_AUTHORITY, true, tokenServiceClient));
    }

    private ManagedIdentityCredentials(Factory factory, CrossTenantExchange exchange) {
        this.factory = factory;
        this.exchange = exchange;
    }

    /** The same identities, exchanging tokens for other tenants' tokens as {@code exchange} says. */
    public ManagedIdentityCredentials withCrossTenantExchange(CrossTenantExchange exchange) {
        return new ManagedIdentityCredentials(factory, exchange);
    }

    /**
     * Workload identity federation: every identity presents the same external token
     * ({@code assertion}, read afresh for each exchange) to Entra ID in {@code tenantId}; the
     * service's own identity is the app registration {@code serviceClientId}, an order's
     * managed identity is named by its client ID ({@code clientIdOf} its resource ID), and each
     * trusts the token's issuer and subject through a federated credential. {@code knownAuthority}
     * false (only the local emulator) skips Entra ID's instance discovery for the authority host.
     */
    public static ManagedIdentityCredentials clientAssertion(
            String tenantId,
            String serviceClientId,
            Supplier<String> assertion,
            String authorityHost,
            boolean knownAuthority,
            HttpClient httpClient,
            Function<UserAssignedIdentityId, String> clientIdOf) {
        return new ManagedIdentityCredentials(
                (Factory) id -> TokenServiceWatch.watched(
                        watchedClient -> clientAssertionBuilder(knownAuthority)
                                .tenantId(tenantId)
                                .clientId(
                                        switch (id) {
                                            case WrappingIdentity.ServiceIdentity s -> serviceClientId;
                                            case WrappingIdentity.ManagedIdentity m -> clientIdOf.apply(m.resourceId());
                                            case WrappingIdentity.FederatedApplication a ->
                                                throw new IllegalStateException(
                                                        "An application is reached by exchange");
                                        })
                                .clientAssertion(assertion)
                                .authorityHost(authorityHost)
                                .httpClient(watchedClient)
                                .build(),
                        httpClient),
                new CrossTenantExchange(authorityHost, knownAuthority, httpClient));
    }

    private static ClientAssertionCredentialBuilder clientAssertionBuilder(boolean knownAuthority) {
        ClientAssertionCredentialBuilder builder =
                new ClientAssertionCredentialBuilder().httpLogOptions(SdkHttpLogs.none());
        return knownAuthority ? builder : builder.disableInstanceDiscovery();
    }

    /** The identity's credential, its tokens shared by all the clients that use it ({@link SharedTokens}). */
    public TokenCredential credential(WrappingIdentity identity) {
        if (identity instanceof WrappingIdentity.FederatedApplication application) {
            // Asked first: the cache must not be updated from within its own get.
            TokenCredential assertedBy = credential(application.assertedBy());
            return credentials.get(identity, id -> shared(exchange.credential(assertedBy, application.clientId())));
        }
        return credentials.get(identity, id -> shared(factory.apply(id)));
    }

    private static TokenCredential shared(TokenCredential credential) {
        return new SharedTokens(credential, Clock.systemUTC());
    }

    /** How many credentials are kept now. */
    int cached() {
        return credentials.size();
    }

    /** How the identity is named in messages. */
    public static String describe(WrappingIdentity identity) {
        return switch (identity) {
            case WrappingIdentity.ServiceIdentity s -> "the service's own identity";
            case WrappingIdentity.ManagedIdentity m -> m.shownAs();
            case WrappingIdentity.FederatedApplication a -> a.shownAs();
        };
    }
}
