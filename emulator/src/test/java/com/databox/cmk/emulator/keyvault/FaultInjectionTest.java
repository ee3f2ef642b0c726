package com.databox.cmk.emulator.keyvault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.azure.identity.ManagedIdentityCredential;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorAdminException;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.TestNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

    private static final byte[] DATA_KEY = new byte[32];
    private static EmulatorAdminClient admin;
    private static ManagedIdentityCredential app;

    @BeforeAll
    static void start() {
        admin = EmulatorTestSupport.admin();
        app = new ManagedIdentityCredentialBuilder().build();
    }

    /** A vault and key whose client has already answered the 401 challenge, with the counts reset. */
    private static CryptographyClient warmClient(String vault) {
        admin.createVault(vault);
        admin.grant(vault, EmulatorTestSupport.shared().appPrincipalId(), "get", "wrapKey", "unwrapKey");
        CryptographyClient crypto =
                EmulatorTestSupport.cryptographyClient(admin.createKey(vault, "kek", "RSA", 2048), app);
        crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP, DATA_KEY);
        admin.resetRequests(vault);
        return crypto;
    }

    @Test
    void sdkRetriesThrottledWrapAfterRetryAfterAndSucceeds() {
        String vault = TestNames.unique("throttled");
        CryptographyClient crypto = warmClient(vault);
        admin.injectFault(vault, "wrapKey", 429, 2, 1, 0);

        crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP, DATA_KEY);

        RequestCounts counts = admin.requests(vault);
        assertEquals(3, counts.of("wrapKey"), counts.toString());
        assertEquals(3, counts.total());
    }

    /** A GET of the key by hand, so that the SDK's retries do not hide the answer's headers. */
    private static HttpResponse getKey(String vaultUrl) {
        String token = app.getTokenSync(new TokenRequestContext().addScopes("https://vault.azure.net/.default"))
                .getToken();
        String url = vaultUrl + "/keys/kek?api-version=7.6";
        return EmulatorTestSupport.sdkHttpClient()
                .sendSync(
                        new HttpRequest(HttpMethod.GET, url).setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + token),
                        Context.NONE);
    }

    /** A vault with a key {@code kek} the app may get; answers the vault's URL. */
    private static String vaultWithKey(String vault) {
        String url = admin.createVault(vault).vaultUrl();
        admin.grant(vault, EmulatorTestSupport.shared().appPrincipalId(), "get");
        admin.createKey(vault, "kek", "RSA", 2048);
        return url;
    }

    @Test
    void throttledFaultWithoutRetryAfterSecondsAnswersRetryAfterOneSecond() {
        String vault = TestNames.unique("throttle-dflt");
        String url = vaultWithKey(vault);
        admin.injectFault(vault, "get", 429, 1, 0, 0);

        HttpResponse throttled = getKey(url);

        assertEquals(429, throttled.getStatusCode());
        assertEquals("1", throttled.getHeaderValue(HttpHeaderName.RETRY_AFTER));
    }

    @Test
    void throttledFaultWithRetryAfterSecondsZeroAnswersNoRetryAfter() throws Exception {
        String vault = TestNames.unique("throttled-none");
        String url = vaultWithKey(vault);
        java.net.http.HttpResponse<String> posted = HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        URI.create(EmulatorTestSupport.shared().adminUrl() + "/admin/faults"))
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"vault\":\"" + vault
                                        + "\",\"operation\":\"get\",\"status\":429,\"retryAfterSeconds\":0}"))
                                .build(),
                        BodyHandlers.ofString());
        assertEquals(200, posted.statusCode(), posted.body());

        HttpResponse throttled = getKey(url);

        assertEquals(429, throttled.getStatusCode());
        assertNull(throttled.getHeaderValue(HttpHeaderName.RETRY_AFTER));
    }

    @Test
    void faultNamingAnOperationTheEmulatorDoesNotMatchIsRefused() {
        String vault = TestNames.unique("fault-op");
        admin.createVault(vault);

        // "wrap" for "wrapKey": it would never fire, and the test meaning to break wrapKey would pass.
        EmulatorAdminException refused =
                assertThrows(EmulatorAdminException.class, () -> admin.injectFault(vault, "wrap", 503, 1, 0, 0));

        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().contains("'wrap'"), refused.getMessage());
    }

    @Test
    void faultNamingAVaultThatDoesNotExistIsRefused() {
        String vault = TestNames.unique("fault-none");

        EmulatorAdminException refused =
                assertThrows(EmulatorAdminException.class, () -> admin.injectFault(vault, "wrapKey", 503, 1, 0, 0));

        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().contains(vault), refused.getMessage());
    }

    @Test
    void faultForASoftDeletedVaultFiresOnceItIsRecovered() {
        String vault = TestNames.unique("fault-deleted");
        String url = vaultWithKey(vault);
        admin.deleteVault(vault);

        admin.injectFault(vault, "get", 503, 1, 0, 0);
        admin.recoverVault(vault);

        assertEquals(503, getKey(url).getStatusCode());
    }

    @Test
    void sdkRetriesServiceUnavailableAndSucceeds() {
        String vault = TestNames.unique("unavailable");
        CryptographyClient crypto = warmClient(vault);
        admin.injectFault(vault, "wrapKey", 503, 2, 1, 0);

        crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP, DATA_KEY);

        assertEquals(3, admin.requests(vault).of("wrapKey"));
    }

    @Test
    void delayedCallAnswersAfterTheDelay() {
        String vault = TestNames.unique("slow");
        CryptographyClient crypto = warmClient(vault);
        admin.injectFault(vault, null, 0, 1, 0, 400);

        long started = System.nanoTime();
        crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP, DATA_KEY);
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertTrue(elapsedMs >= 400, "took " + elapsedMs + " ms");
        assertEquals(1, admin.requests(vault).of("wrapKey"));
    }
}
