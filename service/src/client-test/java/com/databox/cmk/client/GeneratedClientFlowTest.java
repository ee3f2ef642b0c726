package com.databox.cmk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.data.tables.TableClientBuilder;
import com.databox.cmk.client.api.AuditsResourceApi;
import com.databox.cmk.client.api.EncryptionResourceApi;
import com.databox.cmk.client.api.OrdersResourceApi;
import com.databox.cmk.client.model.AuditReportJson;
import com.databox.cmk.client.model.ChangeKeyBody;
import com.databox.cmk.client.model.CreateOrderBody;
import com.databox.cmk.client.model.EnableBody;
import com.databox.cmk.client.model.IdentityBody;
import com.databox.cmk.client.model.IdentityPropertiesBody;
import com.databox.cmk.client.model.OrderJson;
import com.databox.cmk.client.model.UserAssignedRefBody;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.storage.TableAuditRuns;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.testing.SeenSecrets;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The customer-managed-key flow through the Java client that openapi-generator made from the
 * app's own OpenAPI document (target/openapi/openapi.json; pom.xml profile openapi-client),
 * against the app with the Key Vault emulator and Azurite: create, enable, change key, revert,
 * and the same device password all along.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class GeneratedClientFlowTest {

    @TestHTTPResource("/")
    URL app;

    private OrdersResourceApi orders;
    private EncryptionResourceApi encryption;
    private AuditsResourceApi audits;

    @BeforeEach
    void client() {
        String token = LocalStack.callerToken(LocalStack.ALL_ROLES);
        ApiClient client = new ApiClient();
        client.updateBaseUri(app.toString().replaceAll("/+$", ""));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        orders = new OrdersResourceApi(client);
        encryption = new EncryptionResourceApi(client);
        audits = new AuditsResourceApi(client);
    }

    @Test
    void createEnableChangeKeyRevertKeepTheDevicePassword() throws ApiException {
        CustomerKeyVault vault = CustomerKeyVault.create();
        String name = CmkOrder.newName();

        ApiResponse<OrderJson> created = orders.createOrderWithHttpInfo(name, new CreateOrderBody().location("westus"), null);
        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(header(created, "Location")).endsWith("/api/orders/" + name);
        assertThat(header(created, "ETag")).isEqualTo(created.getData().getEtag());
        assertThat(created.getData().getKeyEncryptionKey().getKekType()).isEqualTo("MicrosoftManaged");
        String password = password(name);

        Map<String, Object> attach = new HashMap<>();
        attach.put(vault.identity().resourceId(), new HashMap<>());
        orders.updateOrderIdentity(name, new IdentityBody().type("UserAssigned").userAssignedIdentities(attach), null);

        OrderJson enabled = encryption.enableCmk(name, new EnableBody().kekUrl(vault.keyUrl())
                .kekVaultResourceID(vault.resourceId()).identityProperties(new IdentityPropertiesBody()
                        .type("UserAssigned").userAssigned(new UserAssignedRefBody().resourceId(vault.identity().resourceId()))),
                null);
        assertThat(enabled.getKeyEncryptionKey().getKekType()).isEqualTo("CustomerManaged");
        assertThat(enabled.getKeyEncryptionKey().getKekUrl()).isEqualTo(vault.keyUrl());
        assertThat(password(name)).isEqualTo(password);
        assertThat(encryption.validateEncryption(name, null).getValid())
                .as("validate of the current configuration, no proposal")
                .isTrue();

        String newVersion = vault.newVersion();
        OrderJson changed = encryption.changeKey(name, new ChangeKeyBody().kekUrl(newVersion)
                .kekVaultResourceID(vault.resourceId()), enabled.getEtag());
        assertThat(changed.getKeyEncryptionKey().getKekUrl()).isEqualTo(newVersion);
        assertThat(password(name)).isEqualTo(password);

        OrderJson reverted = encryption.useMicrosoftKey(name, null);
        assertThat(reverted.getKeyEncryptionKey().getKekType()).isEqualTo("MicrosoftManaged");
        assertThat(reverted.getKeyEncryptionKey().getKekUrl()).isNull();
        assertThat(password(name)).isEqualTo(password);
    }

    /** An error answer reaches the client as ApiException with the contract's error body. */
    @Test
    void errorsCarryTheContractsBody() {
        assertThatThrownBy(() -> orders.getOrder(CmkOrder.newName()))
                .isInstanceOfSatisfying(ApiException.class, error -> {
                    assertThat(error.getCode()).isEqualTo(404);
                    assertThat(error.getResponseBody()).contains("\"code\":\"OrderNotFound\"");
                });
    }

    /**
     * A poller ends on the first answer that is not 202: a run that stopped must end it with the contract's
     * error, not with a report a client would take for a finished run's, nor with 202 for ever.
     */
    @Test
    void anAuditRunIsPolledWhileRunningAndAStoppedOneEndsInTheContractsError() throws ApiException {
        ApiResponse<AuditReportJson> started = audits.startAuditWithHttpInfo();
        assertThat(started.getStatusCode()).isEqualTo(202);
        assertThat(started.getData().getStatus()).isEqualTo("Running");
        ApiResponse<AuditReportJson> polled = audits.getAuditWithHttpInfo(started.getData().getRunId());
        assertThat(polled.getStatusCode()).isEqualTo(202);
        assertThat(header(polled, "Retry-After")).isNotBlank();

        String stopped = UUID.randomUUID().toString();
        new TableAuditRuns(new TableClientBuilder().connectionString(Azurite.shared().connectionString())
                        .tableName("audits").buildClient())
                .start(stopped, Instant.now().minus(Duration.ofMinutes(61)), "http", LocalStack.tenant().value());
        assertThatThrownBy(() -> audits.getAudit(stopped))
                .isInstanceOfSatisfying(ApiException.class, error -> {
                    assertThat(error.getCode()).isEqualTo(500);
                    assertThat(error.getResponseBody()).contains("\"code\":\"AuditRunFailed\"").contains(stopped);
                });
    }

    private String password(String name) throws ApiException {
        ApiResponse<com.databox.cmk.client.model.CredentialsJson> answer = orders.listCredentialsWithHttpInfo(name);
        assertThat(header(answer, "Cache-Control")).isEqualTo("no-store");
        String password = answer.getData().getDevicePassword();
        assertThat(password).isNotBlank();
        SeenSecrets.record(password);
        return password;
    }

    private static String header(ApiResponse<?> response, String name) {
        return response.getHeaders().entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).flatMap(List::stream).findFirst().orElse(null);
    }
}
