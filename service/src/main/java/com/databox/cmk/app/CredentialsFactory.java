package com.databox.cmk.app;

import com.azure.core.http.HttpClient;
import com.databox.cmk.identity.CrossTenantExchange;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.sdkhttp.SdkHttpClients;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The credentials the service reaches Key Vault, Storage and ARM with, as {@code cmk.identity.credential}
 * chooses: the platform's managed identity (Azure), or a client assertion (workload identity
 * federation outside Azure, e.g. AWS Lambda; {@code cmk.identity.federation.*}).
 */
final class CredentialsFactory {
    static final String MANAGED_IDENTITY = "managed-identity";
    static final String CLIENT_ASSERTION = "client-assertion";

    private CredentialsFactory() {}

    /**
     * {@code requestDeadline}: no call of the cross-tenant exchange to Entra ID outlives a request (its client's
     * response timeout, and the exchange's limit on a call with its retries; since 2026-12-08, 60 s an attempt).
     */
    static ManagedIdentityCredentials create(
            CmkConfig.Identity identity,
            Duration requestDeadline,
            HttpClient plainHttpClient,
            HttpClient identityEndpointClient,
            Vertx vertx,
            Function<UserAssignedIdentityId, String> clientIdOf) {
        CmkConfig.CrossTenant crossTenant = identity.crossTenant();
        Duration exchangeTimeout = requestDeadline.compareTo(SdkHttpClients.DEFAULT_RESPONSE_TIMEOUT) < 0
                ? requestDeadline
                : SdkHttpClients.DEFAULT_RESPONSE_TIMEOUT;
        return own(identity, plainHttpClient, identityEndpointClient, vertx, clientIdOf)
                .withCrossTenantExchange(new CrossTenantExchange(
                        crossTenant.authorityHost(),
                        crossTenant.trustedCertificate().isEmpty(),
                        SdkHttpClients.create(vertx, crossTenant.trustedCertificate(), exchangeTimeout),
                        exchangeTimeout));
    }

    private static ManagedIdentityCredentials own(
            CmkConfig.Identity identity,
            HttpClient plainHttpClient,
            HttpClient identityEndpointClient,
            Vertx vertx,
            Function<UserAssignedIdentityId, String> clientIdOf) {
        return switch (identity.credential()) {
            case MANAGED_IDENTITY -> new ManagedIdentityCredentials(identityEndpointClient, plainHttpClient);
            case CLIENT_ASSERTION -> {
                CmkConfig.Federation federation = identity.federation();
                Path tokenFile = required(federation.tokenFile(), "token-file");
                HttpClient httpClient = httpClient(federation.trustedCertificate(), plainHttpClient, vertx);
                yield ManagedIdentityCredentials.clientAssertion(
                        required(federation.tenantId(), "tenant-id"),
                        required(federation.clientId(), "client-id"),
                        () -> read(tokenFile),
                        federation.authorityHost(),
                        federation.trustedCertificate().isEmpty(),
                        httpClient,
                        clientIdOf);
            }
            default -> throw unknownCredential(identity.credential());
        };
    }

    /** The refusal of a credential kind this factory does not build; ConfigurationCheck asks it at start. */
    static IllegalStateException unknownCredential(String credential) {
        return new IllegalStateException("cmk.identity.credential must be " + MANAGED_IDENTITY + " or "
                + CLIENT_ASSERTION + ", not '" + credential + "'");
    }

    static boolean isKnownCredential(String credential) {
        return MANAGED_IDENTITY.equals(credential) || CLIENT_ASSERTION.equals(credential);
    }

    private static HttpClient httpClient(Optional<Path> trustedCertificate, HttpClient plainHttpClient, Vertx vertx) {
        return trustedCertificate.isPresent()
                ? SdkHttpClients.create(vertx, trustedCertificate, Duration.ofSeconds(30))
                : plainHttpClient;
    }

    /** The platform rewrites the file before the token in it expires: read it for every exchange. */
    private static String read(Path tokenFile) {
        try {
            return Files.readString(tokenFile).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the federated token file " + tokenFile, e);
        }
    }

    private static <T> T required(Optional<T> value, String name) {
        return value.filter(v -> !v.toString().isBlank())
                .orElseThrow(() -> new IllegalStateException(
                        "cmk.identity.credential=" + CLIENT_ASSERTION + " needs cmk.identity.federation." + name));
    }
}
