package com.databox.cmk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Key Vault emulator's admin API, as the sections set up their vaults, keys and identities: the
 * benchmark's caller and its token, the rights it and the identities are given, and the count of the
 * requests a vault answered.
 */
final class EmulatorAdmin {
    private final Http http;
    private final String url;
    /** The benchmark's caller, who may assign its own identities (issue 12), as a customer's administrator. */
    private final String callerOid = UUID.randomUUID().toString();

    EmulatorAdmin(Http http, LocalServices stack) {
        this.http = http;
        this.url = stack.adminUrl() + "/admin";
    }

    /** A day's token of the benchmark's caller, with every role the sections use. */
    String callerToken() {
        return http.post(
                        url + "/caller-tokens",
                        Http.json(Map.of(
                                "oid",
                                callerOid,
                                "roles",
                                List.of(
                                        "Orders.Read",
                                        "Orders.Write",
                                        "Encryption.Manage",
                                        "Credentials.Read",
                                        "Audit.Run"),
                                "lifetimeSeconds",
                                86400)))
                .expect(200)
                .json()
                .path("access_token")
                .asText();
    }

    /**
     * The benchmark's caller may attach the identity to its orders (Managed Identity Operator on it), as the
     * README's caller may attach the demo identity.
     */
    void letCallerUse(String identity) {
        http.put(
                        url + "/role-assignments/" + UUID.randomUUID(),
                        Http.json(Map.of(
                                "principalId", callerOid, "scope", identity, "role", "Managed Identity Operator")))
                .expect(200, 201);
    }

    /** A vault with soft delete and purge protection, its firewall open; answers its resource id. */
    String createVault(String vault) {
        return http.put(
                        url + "/vaults/" + vault,
                        "{\"softDelete\":true,\"purgeProtection\":true," + "\"retentionDays\":90,\"firewall\":false}")
                .expect(200, 201)
                .json()
                .path("resourceId")
                .asText();
    }

    /** A new RSA key (or key version) in the vault; answers its kid. */
    String newKey(String vault, String key, int bits) {
        return http.post(url + "/vaults/" + vault + "/keys/" + key, "{\"kty\":\"RSA\",\"size\":" + bits + "}")
                .expect(200, 201)
                .json()
                .path("kid")
                .asText();
    }

    /** A user-assigned identity, as the emulator describes it (resourceId, principalId, clientId, tenantId). */
    JsonNode createIdentity(String name) {
        return http.put(url + "/identities/" + name, "{}").expect(200, 201).json();
    }

    /** The access policy the customer-managed key needs: get, wrap and unwrap the vault's keys. */
    void grantKeyUse(String vault, String principalId) {
        http.put(
                        url + "/vaults/" + vault + "/access-policies/" + principalId,
                        "{\"keys\":[\"get\",\"wrapKey\",\"unwrapKey\"]}")
                .expect(200, 201, 204);
    }

    /** Starts the vault's count of the requests it answers afresh. */
    void forgetRequests(String vault) {
        http.delete(url + "/requests?vault=" + vault).expect(200, 204);
    }

    /** The requests the vault answered since {@link #forgetRequests}: their total, and by operation. */
    JsonNode requests(String vault) {
        return http.get(url + "/requests?vault=" + vault).expect(200).json();
    }
}
