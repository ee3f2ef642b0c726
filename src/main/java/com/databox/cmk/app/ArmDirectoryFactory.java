package com.databox.cmk.app;

import com.azure.core.http.HttpClient;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.databox.cmk.identity.ArmIdentityDirectory;
import com.databox.cmk.identity.ArmSettings;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.unlockkey.WrappingIdentity;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;

/** Builds the ARM identity directory from {@code cmk.identity.arm.*}, with the app's own identity. */
final class ArmDirectoryFactory {
    private ArmDirectoryFactory() {
    }

    static ArmIdentityDirectory create(CmkConfig.Arm arm, ManagedIdentityCredentials credentials, Vertx vertx) {
        ArmSettings settings = new ArmSettings(arm.endpoint(), arm.subscriptionId(), arm.resourceGroup(),
                arm.location(), arm.functionAppResourceId(), arm.maxRetries(), arm.retryDelay());
        HttpClientOptions options = new HttpClientOptions();
        // Only the local emulator's own certificate is trusted in the local profile; nothing global.
        arm.trustedCertificate().ifPresent(pem -> options.setTrustOptions(new PemTrustOptions().addCertPath(pem.toString())));
        HttpClient httpClient = new VertxHttpClientBuilder().vertx(vertx).httpClientOptions(options)
                .responseTimeout(arm.timeout()).build();
        return new ArmIdentityDirectory(settings, credentials.credential(new WrappingIdentity.ServiceIdentity()),
                httpClient);
    }
}
