package com.databox.cmk.bench;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.WrapResult;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The floor of each operation: the minimal sequence of Key Vault and Table calls it needs,
 * made directly with the SDK clients (the same Vert.x HTTP client as the app, key caching
 * off, clients built once per key and identity as the app does), in this JVM.
 */
final class SdkFloor implements AutoCloseable {
    private static final KeyWrapAlgorithm ALGORITHM = KeyWrapAlgorithm.RSA_OAEP_256;

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient tlsClient;
    private final HttpClient plainClient;
    /** The app's order rows: partition = the caller's tenant, row = {@code order~{name}} (OrderEntityMapper). */
    private static final String ORDER_ROW_PREFIX = "order~";

    private final TableClient orders;
    private final String tenant;
    private final Map<String, TokenCredential> credentials = new ConcurrentHashMap<>();
    private final Map<String, KeyClient> keyClients = new ConcurrentHashMap<>();
    private final Map<String, CryptographyClient> cryptoClients = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    SdkFloor(String caCertPem, String connectionString, String ordersTable, String tenant) {
        this.tenant = tenant;
        HttpClientOptions options =
                new HttpClientOptions().setTrustOptions(new PemTrustOptions().addCertPath(caCertPem));
        tlsClient = new VertxHttpClientBuilder()
                .vertx(vertx)
                .httpClientOptions(options)
                .build();
        plainClient = new VertxHttpClientBuilder().vertx(vertx).build();
        orders = new TableClientBuilder()
                .connectionString(connectionString)
                .tableName(ordersTable)
                .httpClient(plainClient)
                .buildClient();
    }

    void getOrder(String order) {
        orders.getEntity(tenant, ORDER_ROW_PREFIX + order);
    }

    /** A new table for the audit's orders. */
    TableClient createTable(String connectionString, String name) {
        TableServiceClient service = new TableServiceClientBuilder()
                .connectionString(connectionString)
                .httpClient(plainClient)
                .buildClient();
        service.createTableIfNotExists(name);
        return service.getTableClient(name);
    }

    /** resourceId null: the app's own (system-assigned) identity. */
    private TokenCredential credential(String resourceId) {
        return credentials.computeIfAbsent(resourceId == null ? "" : resourceId, k -> {
            ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder().httpClient(plainClient);
            if (resourceId != null) {
                builder.resourceId(resourceId);
            }
            return builder.build();
        });
    }

    private KeyClient keyClient(String vaultUrl, String identity, long owner) {
        return keyClients.computeIfAbsent(
                vaultUrl + "|" + identity + "|" + owner,
                k -> new KeyClientBuilder()
                        .vaultUrl(vaultUrl)
                        .credential(credential(identity))
                        .httpClient(tlsClient)
                        .disableChallengeResourceVerification()
                        .buildClient());
    }

    private CryptographyClient crypto(String keyId, String identity) {
        return cryptoClients.computeIfAbsent(
                keyId + "|" + identity,
                k -> new CryptographyClientBuilder()
                        .keyIdentifier(keyId)
                        .credential(credential(identity))
                        .httpClient(tlsClient)
                        .disableKeyCaching()
                        .disableChallengeResourceVerification()
                        .buildClient());
    }

    /** Microsoft-managed → customer key: unwrap (MMK), get, wrap, unwrap, read + conditional write. */
    void enable(String order, String kekUrl, String vaultResourceId, String identity) {
        TableEntity read = orders.getEntity(tenant, ORDER_ROW_PREFIX + order);
        byte[] unlockKey = unwrapStored(read, null);
        byte[] wrapped = wrapVerified(kekUrl, identity, unlockKey);
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("KekType", "CustomerManaged");
        changes.put("KekUrl", kekUrl);
        changes.put("KekVaultResourceId", vaultResourceId);
        changes.put("KekIdentityType", "UserAssigned");
        changes.put("KekUserAssignedResourceId", identity);
        changes.put("KekAutoRotation", false);
        changes.put("HealthStatus", "Healthy");
        changes.put("WrappedKeyId", kekUrl);
        changes.put("WrappedKeyAlgorithm", ALGORITHM.toString());
        changes.put("WrappedKey", Base64.getEncoder().encodeToString(wrapped));
        write(read, changes, "enable");
    }

    /** Unwrap with the old key, get the new one, wrap, unwrap, read + conditional write. */
    void changeKey(String order, String newKekUrl, String identity) {
        TableEntity read = orders.getEntity(tenant, ORDER_ROW_PREFIX + order);
        byte[] unlockKey = unwrapStored(read, identity);
        byte[] wrapped = wrapVerified(newKekUrl, identity, unlockKey);
        write(
                read,
                Map.of(
                        "KekUrl",
                        newKekUrl,
                        "WrappedKeyId",
                        newKekUrl,
                        "WrappedKey",
                        Base64.getEncoder().encodeToString(wrapped)),
                "change-key");
    }

    /** Read, get, wrap a probe, unwrap it, conditional write of the key health. */
    void validate(String order, String identity) {
        TableEntity read = orders.getEntity(tenant, ORDER_ROW_PREFIX + order);
        byte[] probe = new byte[32];
        random.nextBytes(probe);
        wrapVerified((String) read.getProperty("KekUrl"), identity, probe);
        write(
                read,
                Map.of("HealthStatus", "Healthy", "HealthCheckedAt", OffsetDateTime.now(ZoneOffset.UTC)),
                "validate");
    }

    /**
     * What the audit proves of a (key version, identity) pair: get, wrap a probe, unwrap it. Called from
     * several threads at once, each with key clients of its own: calls at once on one client can stall one
     * of them for 500 ms in its bearer-token policy (the app's keyvault/ClientPool says why).
     */
    void provePair(String kekUrl, String identity) {
        byte[] probe = new byte[32];
        random.nextBytes(probe);
        wrapVerified(kekUrl, identity, probe, Thread.currentThread().threadId());
    }

    private byte[] unwrapStored(TableEntity read, String identity) {
        return crypto((String) read.getProperty("WrappedKeyId"), identity)
                .unwrapKey(
                        KeyWrapAlgorithm.fromString((String) read.getProperty("WrappedKeyAlgorithm")),
                        Base64.getDecoder().decode((String) read.getProperty("WrappedKey")))
                .getKey();
    }

    private byte[] wrapVerified(String kekUrl, String identity, byte[] value) {
        return wrapVerified(kekUrl, identity, value, 0);
    }

    /** Get, wrap, unwrap and compare, the get on the key client of {@code keyClientOwner}. */
    private byte[] wrapVerified(String kekUrl, String identity, byte[] value, long keyClientOwner) {
        String vaultUrl = kekUrl.substring(0, kekUrl.indexOf("/keys/"));
        String[] parts = kekUrl.substring(kekUrl.indexOf("/keys/") + 6).split("/");
        keyClient(vaultUrl, identity, keyClientOwner).getKey(parts[0], parts.length > 1 ? parts[1] : null);
        WrapResult wrapped = crypto(kekUrl, identity).wrapKey(ALGORITHM, value);
        byte[] back = crypto(kekUrl, identity)
                .unwrapKey(ALGORITHM, wrapped.getEncryptedKey())
                .getKey();
        if (!MessageDigest.isEqual(back, value)) {
            throw new IllegalStateException("round trip failed for " + kekUrl);
        }
        return wrapped.getEncryptedKey();
    }

    private void write(TableEntity read, Map<String, Object> changes, String action) {
        TableEntity updated = new TableEntity(read.getPartitionKey(), read.getRowKey());
        Map<String, Object> properties = new LinkedHashMap<>(read.getProperties());
        properties
                .keySet()
                .removeIf(k -> k.startsWith("odata.")
                        || k.equals("PartitionKey")
                        || k.equals("RowKey")
                        || k.equals("Timestamp"));
        properties.putAll(changes);
        properties.put("UpdatedAt", OffsetDateTime.now(ZoneOffset.UTC));
        updated.setProperties(properties);
        updated.addProperty("odata.etag", read.getETag());
        TableEntity history = new TableEntity(
                read.getPartitionKey(),
                "history-" + String.format(Locale.ROOT, "%019d", Long.MAX_VALUE - System.currentTimeMillis()) + "-"
                        + UUID.randomUUID());
        history.addProperty("At", OffsetDateTime.now(ZoneOffset.UTC));
        history.addProperty("Action", action);
        history.addProperty("Actor", "benchmark-floor");
        history.addProperty("Summary", action);
        orders.submitTransaction(List.of(
                new TableTransactionAction(TableTransactionActionType.UPDATE_REPLACE, updated, true),
                new TableTransactionAction(TableTransactionActionType.CREATE, history)));
    }

    @Override
    public void close() {
        vertx.close();
    }
}
