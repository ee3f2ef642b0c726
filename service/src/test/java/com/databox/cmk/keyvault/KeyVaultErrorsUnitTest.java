package com.databox.cmk.keyvault;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.identity.CredentialUnavailableException;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.testing.StubResponse;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Key Vault's answers → the contract's codes, from the typed error body (issue 11, items 4-5). */
class KeyVaultErrorsUnitTest {
    private static final KeyUrl KEY =
            KeyUrl.parse("https://contoso.vault.azure.net/keys/kek/0123456789abcdef0123456789abcdef");
    private static final WrappingIdentity USER = new WrappingIdentity.ManagedIdentity(
            new UserAssignedIdentityId("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/"
                    + "rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1"));
    private static final WrappingIdentity SYSTEM = new WrappingIdentity.ManagedIdentity(
            new UserAssignedIdentityId("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/"
                    + "rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/databox-o-1"),
            true);

    private static HttpResponseException answer(int status, String body, Object value) {
        HttpRequest request = new HttpRequest(
                HttpMethod.POST, "https://contoso.vault.azure.net/keys/kek/0123456789abcdef0123456789abcdef/wrapkey");
        HttpResponse response = new StubResponse(request, status, new HttpHeaders(), body);
        return new HttpResponseException("Status code " + status, response, value);
    }

    private static Map<String, Object> error(String code, String inner) {
        return inner == null
                ? Map.of("error", Map.of("code", code, "message", "m"))
                : Map.of("error", Map.of("code", code, "message", "m", "innererror", Map.of("code", inner)));
    }

    @Test
    void badParameterForAForbiddenKeyOperationIsAUserErrorThatNamesTheOperationToAllow() {
        ServiceException e = map(answer(400, "", error("BadParameter", null)), KEY, USER, "wrapKey");
        assertThat(e.code()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException);
        assertThat(e.getMessage()).contains("wrapKey");
        assertThat(e.resolution()).contains("wrapKey").contains("key_ops");
    }

    /**
     * A throttling vault's wait is told to the caller as the vault asked it, not as the SDK's capped wait
     * between its tries: told 5 s, a client came back 115 s early into the throttle. At most 5 minutes.
     */
    @Test
    void aThrottledVaultsRetryAfterIsAnsweredAsTheVaultAskedNotAsTheSdksCappedWait() {
        CappedRetryAfterPolicy cap = new CappedRetryAfterPolicy(Duration.ofSeconds(5));
        for (var asked : Map.of(
                        "120",
                        Duration.ofSeconds(120),
                        "121",
                        Duration.ofSeconds(121),
                        "2",
                        Duration.ofSeconds(2),
                        "100000",
                        Duration.ofMinutes(5))
                .entrySet()) {
            HttpRequest request = new HttpRequest(
                    HttpMethod.POST,
                    "https://contoso.vault.azure.net/keys/kek/0123456789abcdef0123456789abcdef/unwrapkey");
            HttpResponse capped = cap.capped(new StubResponse(
                    request, 429, new HttpHeaders().set(HttpHeaderName.RETRY_AFTER, asked.getKey()), ""));
            ServiceException e =
                    map(new HttpResponseException("Status code 429", capped, null), KEY, USER, "unwrapKey");
            assertThat(e.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
            assertThat(e.retryAfter()).as("Retry-After %s", asked.getKey()).isEqualTo(asked.getValue());
        }
        HttpResponse inMillis = cap.capped(new StubResponse(
                new HttpRequest(
                        HttpMethod.GET, "https://contoso.vault.azure.net/keys/kek/0123456789abcdef0123456789abcdef"),
                503,
                new HttpHeaders().set(HttpHeaderName.fromString("retry-after-ms"), "90500"),
                ""));
        assertThat(map(new HttpResponseException("Status code 503", inMillis, null), KEY, USER, "get")
                        .retryAfter())
                .isEqualTo(Duration.ofSeconds(91));
    }

    /** A host of the allow-list that redirects is no key vault to use: the customer's key URL, not the service, is wrong. */
    @Test
    void aRedirectIsAUserErrorOfTheKeyUrlNotAnInternalError() {
        for (int status : new int[] {301, 302, 307, 308}) {
            ServiceException e = map(answer(status, "", null), KEY, USER, "get");
            assertThat(e.code()).as("HTTP %d", status).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException);
            assertThat(e.target()).isEqualTo("kekUrl");
            assertThat(e.getMessage()).contains("redirect", KEY.toString());
            assertThat(e.resolution()).contains("key identifier");
        }
    }

    @Test
    void theInnerCodeDecidesBetweenDisabledExpiredFirewallAndPermission() {
        assertThat(map(answer(403, "", error("Forbidden", "KeyDisabled")), KEY, USER, "wrapKey")
                        .code())
                .isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyDisabled);
        assertThat(map(answer(403, "", error("Forbidden", "KeyExpired")), KEY, USER, "wrapKey")
                        .code())
                .isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyExpired);
        ServiceException firewall = map(answer(403, "", error("Forbidden", "ForbiddenByFirewall")), KEY, USER, "get");
        assertThat(firewall.getMessage()).contains("firewall");
        assertThat(firewall.resolution())
                .as("the service's identities are no trusted service: not the code's system-assigned advice")
                .contains("outbound IP addresses")
                .doesNotContain("system-assigned identity.");
        ServiceException rbac = map(answer(403, "", error("Forbidden", "ForbiddenByRbac")), KEY, USER, "wrapKey");
        assertThat(rbac.code()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException);
        assertThat(rbac.getMessage()).contains("lacks the wrapKey permission").contains("role-based");
        assertThat(rbac.resolution()).contains("Key Vault Crypto Service Encryption User");
        ServiceException denied = map(answer(403, "", error("Forbidden", "AccessDenied")), KEY, USER, "get");
        assertThat(denied.code()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException);
        assertThat(denied.getMessage()).contains("lacks the get permission");
    }

    @Test
    void aMessageThatMerelyMentionsACodeDoesNotDecideIt() {
        // "keydisabled" in the message text, but the inner code says AccessDenied: a permission problem.
        HttpResponseException e = new HttpResponseException(
                "Status code 403, KeyDisabled mentioned in passing",
                answer(403, "", null).getResponse(),
                error("Forbidden", "AccessDenied"));
        assertThat(map(e, KEY, USER, "get").code()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultBadRequestException);
    }

    @Test
    void theBodyIsReadFromTheMessageWhenTheSdkGivesNoValue() {
        HttpResponseException e = new HttpResponseException(
                "Status code 403, {\"error\":{\"code\":\"Forbidden\",\"innererror\":{\"code\":\"KeyDisabled\"}}}",
                answer(403, "", null).getResponse(),
                null);
        assertThat(map(e, KEY, USER, "get").code()).isEqualTo(ErrorCode.SsemUserErrorEncryptionKeyDisabled);
    }

    @Test
    void noTokenIsSystemAssignedIdentityAbsentOrUserIdentityNotFoundNeverTheOtherWayRound() {
        assertThat(map(new CredentialUnavailableException("gone"), KEY, SYSTEM, "get")
                        .code())
                .isEqualTo(ErrorCode.SsemUserErrorSystemAssignedIdentityAbsent);
        assertThat(map(new CredentialUnavailableException("gone"), KEY, USER, "get")
                        .code())
                .isEqualTo(ErrorCode.SsemUserErrorKekUserIdentityNotFound);
    }

    @Test
    void throttlingAndServerErrorsAreUnavailableWithRetryAfter() {
        ServiceException e = map(answer(429, "", null), KEY, USER, "wrapKey");
        assertThat(e.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(e.retryAfter()).isNotNull();
        assertThat(map(answer(503, "", null), KEY, USER, "wrapKey").code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(map(answer(408, "", null), KEY, USER, "wrapKey").code())
                .as("a request timeout the SDK gave up retrying")
                .isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(map(answer(401, "", null), KEY, USER, "wrapKey").code())
                .isEqualTo(ErrorCode.SsemUserErrorCrossTenantIdentityAccessForbidden);
        assertThat(map(answer(404, "", error("KeyNotFound", null)), KEY, USER, "get")
                        .code())
                .isEqualTo(ErrorCode.SsemUserErrorKeyDetailsNotFound);
    }

    /**
     * The Microsoft-managed key, used as the service's own identity: what refuses it is the service's to
     * fix, never a customer's error (which would hold the order at Data Copy and tell the customer to grant
     * permissions on a key that is not theirs), and its URL is not shown; an outage stays an outage.
     */
    @Test
    void theServicesOwnKeyRefusedIsAnInternalErrorNotTheCustomers() {
        WrappingIdentity service = WrappingIdentity.SERVICE;
        for (RuntimeException refusal : java.util.List.of(
                answer(403, "", error("Forbidden", "AccessDenied")),
                answer(403, "", error("Forbidden", "KeyDisabled")),
                answer(404, "", error("KeyNotFound", null)),
                new CredentialUnavailableException("no token"))) {
            ServiceException e = map(refusal, KEY, service, "unwrapKey");
            assertThat(e.code()).as(refusal.toString()).isEqualTo(ErrorCode.InternalError);
            assertThat(e.getMessage()).doesNotContain(KEY.host());
        }
        ServiceException outage = map(answer(503, "", null), KEY, service, "unwrapKey");
        assertThat(outage.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(outage.retryAfter()).isNotNull();
        assertThat(outage.getMessage()).doesNotContain(KEY.host());
    }

    /**
     * The identity endpoint refusing the service itself (a wrong {@code IDENTITY_HEADER}) is the service's fault for
     * every identity: {@code 500 InternalError}, no customer code, nothing the audit records (bug bash ob1 F1: it was
     * {@code SsemUserErrorKekUserIdentityNotFound}, "the identity may have been deleted").
     */
    @Test
    void theIdentityEndpointRefusingTheServiceIsAnInternalErrorForEveryIdentity() {
        for (WrappingIdentity identity : java.util.List.of(USER, SYSTEM, WrappingIdentity.SERVICE)) {
            var refused = new com.databox.cmk.identity.IdentityEndpointRefusedService(
                    403, "The X-IDENTITY-HEADER header is not valid.");
            ServiceException e = map(
                    new com.azure.core.exception.ClientAuthenticationException("failed", null, refused),
                    KEY,
                    identity,
                    "unwrapKey");
            assertThat(e.code()).as(identity.toString()).isEqualTo(ErrorCode.InternalError);
            assertThat(e.code().saysNothingOfTheKey()).isTrue();
            assertThat(e.getMessage())
                    .doesNotContain("deleted")
                    .doesNotContain("Ssem")
                    .doesNotContain(KEY.host());
            assertThat(e.getCause()).isSameAs(refused);
            assertThat(KeyVaultErrors.isTokenRefusal(refused)).as("not retried").isTrue();
        }
    }

    /** The token service's outage (TokenServiceOutageTest) is Key Vault's to retry, not the identity's absence. */
    @Test
    void aTokenServiceOutageIsKeyVaultUnavailableNotAMissingIdentity() {
        for (WrappingIdentity identity : java.util.List.of(USER, SYSTEM)) {
            ServiceException e = map(
                    new com.databox.cmk.identity.TokenServiceUnavailable(
                            503, new com.azure.core.exception.ClientAuthenticationException("failed", null)),
                    KEY,
                    identity,
                    "get");
            assertThat(e.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
            assertThat(e.retryAfter()).isPositive();
            assertThat(e.getMessage()).contains("HTTP 503").contains("nothing was changed");
        }
        ServiceException none = map(
                new com.databox.cmk.identity.TokenServiceUnavailable(0, new RuntimeException("refused")),
                KEY,
                USER,
                "wrapKey");
        assertThat(none.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(none.getMessage()).contains("did not answer");
    }

    /** A deleted vault's name stops resolving; only the local emulator's vaults, which have no names, stop listening. */
    @Test
    void aRefusedConnectionIsAnOutageExceptFromAVaultOnThisMachine() {
        RuntimeException refused = new RuntimeException(new java.net.ConnectException("Connection refused"));

        ServiceException azure = map(refused, KEY, USER, "wrapKey");
        assertThat(azure.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(azure.retryAfter()).isPositive();
        assertThat(azure.getMessage()).contains("refused the connection").contains("nothing was changed");

        ServiceException emulator = KeyVaultErrors.map(
                refused,
                KeyUrl.parse("https://127.0.0.1:20443/keys/kek/0123456789abcdef0123456789abcdef"),
                USER,
                "get",
                true,
                KeyVaultClientsUnitTest.NOT_ASKED);
        assertThat(emulator.code()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultDetailsNotFound);
    }

    /**
     * Netty's resolver gives a refused query and a name without addresses alike, with no cause: the
     * name server's answer to one more query decides, and only then is it asked.
     */
    @Test
    void aNameTheResolverGaveUpOnWithoutSayingWhyIsAnOutageOnlyWhenTheNameServerFailsForIt() {
        RuntimeException unresolved = new RuntimeException(new java.net.UnknownHostException(
                "Failed to resolve 'contoso-cmk.vault.azure.net' [A(1), AAAA(28)] after 2 queries"));
        java.util.List<String> asked = new java.util.ArrayList<>();

        NameServers refusing = host -> {
            asked.add(host);
            return true;
        };
        NameServers answeringWithoutAddress = host -> {
            asked.add(host);
            return false;
        };

        ServiceException refused = KeyVaultErrors.map(unresolved, KEY, USER, "get", false, refusing);
        ServiceException noAddress = KeyVaultErrors.map(unresolved, KEY, USER, "get", false, answeringWithoutAddress);

        assertThat(refused.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(refused.retryAfter()).isPositive();
        assertThat(refused.getMessage()).contains("name server");
        assertThat(noAddress.code()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultDetailsNotFound);
        assertThat(asked).containsExactly(KEY.host(), KEY.host());
    }

    /** A vault the allow-list admits by its suffix (Key Vault's own hosts), not as a local one. */
    private static ServiceException map(
            RuntimeException failure, KeyUrl key, WrappingIdentity identity, String permission) {
        return KeyVaultErrors.map(failure, key, identity, permission, false, KeyVaultClientsUnitTest.NOT_ASKED);
    }
}
