package com.databox.cmk.identity;

import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;

/**
 * What every Azure SDK client of the service logs of its HTTP calls: nothing. A builder given no
 * options reads {@code AZURE_HTTP_LOG_DETAIL_LEVEL} from the environment, and {@code body_and_headers}
 * (common debugging advice) would log the device unlock key (wrapKey's request and unwrapKey's
 * answer carry it, base64url), wrapped keys (Table bodies) and access tokens (the token services'
 * answers). The service logs its calls' outcomes itself, without their bodies.
 */
public final class SdkHttpLogs {
    private SdkHttpLogs() {}

    public static HttpLogOptions none() {
        return new HttpLogOptions().setLogLevel(HttpLogDetailLevel.NONE);
    }
}
