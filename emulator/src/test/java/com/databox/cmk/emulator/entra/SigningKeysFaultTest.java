package com.databox.cmk.emulator.entra;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.KeyVaultEmulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Entra issuer's signing keys document fails as Entra ID does when told to, for one tenant only. */
class SigningKeysFaultTest {
    private final KeyVaultEmulator emulator = EmulatorTestSupport.shared();
    private final EmulatorAdminClient admin = EmulatorTestSupport.admin();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> keysOf(String tenant) throws IOException, InterruptedException {
        String uri = emulator.entraJwksUri().replace(emulator.defaultTenantId(), tenant);
        return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSigningKeysFaultFailsThatTenantsKeysOnceWithItsRetryAfter() throws Exception {
        String tenant = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        admin.injectFault(tenant, EntraIssuerHandler.SIGNING_KEYS, 503, 1, 7, 0);

        assertThat(keysOf(other).statusCode()).isEqualTo(200);
        HttpResponse<String> failed = keysOf(tenant);
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(failed.body()).contains("temporarily_unavailable");
        HttpResponse<String> after = keysOf(tenant);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).contains("\"keys\"");
    }

    @Test
    void aFaultThatDoesNotNameSigningKeysNeverReachesThem() throws Exception {
        String tenant = UUID.randomUUID().toString();
        // Scoped to a "vault" named as the tenant, so that it reaches no Key Vault call of another test.
        admin.injectFault(tenant, null, 503, 1, 0, 0);

        assertThat(keysOf(tenant).statusCode()).isEqualTo(200);
    }

    @Test
    void aClientErrorFaultAnswersAsForATenantEntraIdDoesNotKnow() throws Exception {
        String tenant = UUID.randomUUID().toString();
        admin.injectFault(tenant, EntraIssuerHandler.SIGNING_KEYS, 400, 1, 0, 0);

        HttpResponse<String> refused = keysOf(tenant);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("invalid_tenant");
    }
}
