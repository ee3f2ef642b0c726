package com.databox.cmk.app;

import com.azure.core.http.HttpClient;
import com.databox.cmk.edge.RequestDeadlines;
import com.databox.cmk.identity.ArmIdentityDirectory;
import com.databox.cmk.identity.ArmSettings;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.sdkhttp.SdkHttpClients;
import com.databox.cmk.unlockkey.WrappingIdentity;
import io.vertx.core.Vertx;
import java.time.Duration;

/** Builds the ARM identity directory from {@code cmk.identity.arm.*}, with the app's own identity. */
final class ArmDirectoryFactory {
    private ArmDirectoryFactory() {}

    static ArmIdentityDirectory create(
            CmkConfig.Arm arm, Duration requestDeadline, ManagedIdentityCredentials credentials, Vertx vertx) {
        ArmSettings settings = new ArmSettings(
                arm.endpoint(),
                arm.subscriptionId(),
                arm.resourceGroup(),
                arm.location(),
                arm.functionAppResourceId(),
                arm.maxRetries(),
                arm.retryDelay(),
                arm.maxWaitingRequests(),
                requestDeadline);
        HttpClient httpClient = SdkHttpClients.create(vertx, arm.trustedCertificate(), arm.timeout());
        return new ArmIdentityDirectory(
                settings,
                credentials.credential(new WrappingIdentity.ServiceIdentity()),
                httpClient,
                RequestDeadlines::current);
    }
}
