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
import java.util.Optional;

/** Builds the ARM identity directory from {@code cmk.identity.arm.*}, with the app's own identity. */
final class ArmDirectoryFactory {
    private ArmDirectoryFactory() {
    }

    static ArmIdentityDirectory create(CmkConfig.Arm arm, ManagedIdentityCredentials credentials, Vertx vertx) {
        ArmSettings settings = new ArmSettings(arm.endpoint(),
                required(arm.subscriptionId(), "cmk.identity.arm.subscription-id (CMK_ARM_SUBSCRIPTION_ID)"),
                required(arm.resourceGroup(), "cmk.identity.arm.resource-group (CMK_ARM_RESOURCE_GROUP)"),
                required(arm.location(), "cmk.identity.arm.location (CMK_ARM_LOCATION)"),
                required(arm.functionAppResourceId(),
                        "cmk.identity.arm.function-app-resource-id (CMK_ARM_FUNCTION_APP_RESOURCE_ID)"),
                arm.maxRetries(), arm.retryDelay());
        HttpClientOptions options = new HttpClientOptions();
        // Only the local emulator's own certificate is trusted in the local profile; nothing global.
        arm.trustedCertificate().ifPresent(pem -> options.setTrustOptions(new PemTrustOptions().addCertPath(pem.toString())));
        HttpClient httpClient = new VertxHttpClientBuilder().vertx(vertx).httpClientOptions(options)
                .responseTimeout(arm.timeout()).build();
        return new ArmIdentityDirectory(settings, credentials.credential(new WrappingIdentity.ServiceIdentity()),
                httpClient);
    }

    private static String required(Optional<String> value, String name) {
        return value.filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalStateException(name + " is not set"));
    }
}
