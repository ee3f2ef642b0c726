package com.databox.cmk.identity;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One managed-identity credential per identity, reused so that its token is reused until it
 * expires. The endpoint comes from the platform ({@code IDENTITY_ENDPOINT} and
 * {@code IDENTITY_HEADER}, set by App Service / Azure Functions, locally by the emulator).
 */
public final class ManagedIdentityCredentials {
    private final HttpClient httpClient;
    private final Map<WrappingIdentity, TokenCredential> credentials = new ConcurrentHashMap<>();

    public ManagedIdentityCredentials(HttpClient httpClient) {
        this.httpClient = httpClient;
    }

    public TokenCredential credential(WrappingIdentity identity) {
        return credentials.computeIfAbsent(identity, id -> {
            ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder().httpClient(httpClient);
            if (id instanceof WrappingIdentity.ManagedIdentity managed) {
                builder.resourceId(managed.resourceId());
            }
            return builder.build();
        });
    }

    /** How the identity is named in messages. */
    public static String describe(WrappingIdentity identity) {
        return switch (identity) {
            case WrappingIdentity.ServiceIdentity s -> "the service's own identity";
            case WrappingIdentity.ManagedIdentity m -> m.shownAs();
        };
    }
}
