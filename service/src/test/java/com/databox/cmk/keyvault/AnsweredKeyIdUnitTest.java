package com.databox.cmk.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.databox.cmk.encryption.KeyAndWrap;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.testing.StubResponse;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

/**
 * Bug bash sx1 (outbound request hygiene), B3: the key ID ({@code kid}) a vault answers was taken as the key, whatever
 * vault it named. {@code describe} returned it without even the allow-list check (KeyRequirements then wraps with it,
 * versionless keys), and {@code wrap} stored a wrapped unlock key bound to it when its host was on the list: a vault
 * answering another vault's key ID made the service's next calls, and every later unwrap, go to that other vault.
 * Key Vault always answers with the key asked for; an answer that does not is Key Vault misbehaving, an outage.
 */
class AnsweredKeyIdUnitTest {
    private static final String VERSION = "0123456789abcdef0123456789abcdef";
    private static final KeyUrl ASKED = KeyUrl.parse("https://contoso.vault.azure.net/keys/kek/" + VERSION);
    private static final KeyUrl ASKED_VERSIONLESS = KeyUrl.parse("https://contoso.vault.azure.net/keys/kek");
    private static final WrappingIdentity CUSTOMER = new WrappingIdentity.ManagedIdentity(
            new UserAssignedIdentityId(
                    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai"));
    private static final String MODULUS = Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                    BigInteger.ONE.shiftLeft(2047).add(BigInteger.valueOf(159)).toByteArray());

    private static final String OTHER_VAULTS_KEY =
            "https://victim.vault.azure.net/keys/theirs/ffffffffffffffffffffffffffffffff";
    private static final String OFF_THE_LIST = "https://evil.example.com/keys/kek/ffffffffffffffffffffffffffffffff";

    private final List<String> sent = new CopyOnWriteArrayList<>();

    private SdkKeyVaultGateway answering(String kid) {
        HttpClient vault = request -> {
            sent.add(request.getHttpMethod() + " " + request.getUrl().getHost()
                    + request.getUrl().getPath());
            if (request.getHeaders().getValue(HttpHeaderName.AUTHORIZATION) == null) {
                return Mono.just(KeyVaultClientsUnitTest.challenge(request, "https://vault.azure.net"));
            }
            // wrapkey and unwrapkey answer alike: the key ID and a value.
            String body = request.getUrl().getPath().endsWith("wrapkey")
                    ? "{\"kid\":\"" + kid + "\",\"value\":\"AAAA\"}"
                    : "{\"key\":{\"kid\":\"" + kid + "\",\"kty\":\"RSA\",\"key_ops\":[\"wrapKey\",\"unwrapKey\"],"
                            + "\"n\":\"" + MODULUS + "\",\"e\":\"AQAB\"},\"attributes\":{\"enabled\":true,"
                            + "\"recoveryLevel\":\"Recoverable\",\"recoverableDays\":90}}";
            return Mono.just(new StubResponse(
                    request, 200, new HttpHeaders().set(HttpHeaderName.CONTENT_TYPE, "application/json"), body));
        };
        HttpClient tokenService = request -> Mono.just(new StubResponse(
                request,
                200,
                new HttpHeaders().set(HttpHeaderName.CONTENT_TYPE, "application/json"),
                "{\"access_token\":\"a.b.c\",\"expires_on\":\"" + (System.currentTimeMillis() / 1000 + 3600)
                        + "\",\"resource\":\"https://vault.azure.net\",\"token_type\":\"Bearer\"}"));
        return new SdkKeyVaultGateway(
                new KeyVaultClients(KeyVaultClientsUnitTest.settings(), vault, KeyVaultClientsUnitTest.NOT_ASKED),
                new ManagedIdentityCredentials(tokenService));
    }

    /** Key Vault misbehaving: an outage, not the customer's fault, and the key the vault named is not shown. */
    private static void refusedAsAnOutage(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ServiceException.class, e -> assertOutage(e));
    }

    private static void assertOutage(ServiceException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(e.retryAfter()).isNotNull();
        assertThat(e.getMessage())
                .contains("another key", ASKED_VERSIONLESS.keyId())
                .doesNotContain("victim", "evil", "ffff");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                OTHER_VAULTS_KEY,
                OFF_THE_LIST,
                "https://contoso.vault.azure.net/keys/other/" + VERSION,
                "https://contoso.vault.azure.net/keys/kek/ffffffffffffffffffffffffffffffff",
                "https://contoso.vault.azure.net:8443/keys/kek/" + VERSION
            })
    void aKeyDescribedAsAnotherKeyIsAnOutage(String kid) {
        refusedAsAnOutage(() -> answering(kid).describe(ASKED, CUSTOMER));
    }

    @ParameterizedTest
    @ValueSource(strings = {OTHER_VAULTS_KEY, OFF_THE_LIST, "https://contoso.vault.azure.net/keys/other/" + VERSION})
    void aVersionlessKeyDescribedAsAnotherKeyIsAnOutage(String kid) {
        refusedAsAnOutage(() -> answering(kid).describe(ASKED_VERSIONLESS, CUSTOMER));
    }

    /** Key Vault names a key in its own spelling: the host's case, HTTPS's port, the name's and version's case. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://contoso.vault.azure.net/keys/kek/" + VERSION,
                "https://CONTOSO.vault.azure.net:443/keys/KEK/0123456789ABCDEF0123456789ABCDEF"
            })
    void theKeyAskedForInAnySpellingIsTheAnswer(String kid) {
        assertThat(answering(kid).describe(ASKED, CUSTOMER).keyUrl()).isEqualTo(KeyUrl.parse(kid));
        assertThat(answering(kid).wrap(ASKED, CUSTOMER, new byte[32]).keyUrl()).isEqualTo(KeyUrl.parse(kid));
    }

    @Test
    void aVersionlessKeyIsAnsweredWithTheVersionTheVaultUsed() {
        SdkKeyVaultGateway gateway = answering(ASKED.keyId());

        assertThat(gateway.describe(ASKED_VERSIONLESS, CUSTOMER).keyUrl()).isEqualTo(ASKED);
        assertThat(gateway.wrap(ASKED_VERSIONLESS, CUSTOMER, new byte[32]).keyUrl())
                .isEqualTo(ASKED);
    }

    @Test
    void aWrapAnsweredByAnotherVaultsKeyIsAnOutageAndOnlyTheAskedVaultIsCalled() {
        refusedAsAnOutage(() -> answering(OTHER_VAULTS_KEY).wrap(ASKED_VERSIONLESS, CUSTOMER, new byte[32]));
        assertThat(sent).isNotEmpty().allMatch(call -> call.contains("contoso.vault.azure.net"));
    }

    @Test
    void aWrapAnsweredWithNoKeyIdentifierIsAnOutageNotTheCustomersUrl() {
        assertThatThrownBy(() -> answering("https://contoso.vault.azure.net/secrets/kek")
                        .wrap(ASKED_VERSIONLESS, CUSTOMER, new byte[32]))
                .isInstanceOfSatisfying(
                        ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.KeyVaultUnavailable));
    }

    @Test
    void aKeyDescribedAndWrappedAsAnotherVaultsKeyIsAnOutageForBoth() {
        KeyAndWrap both = answering(OTHER_VAULTS_KEY).describeAndWrap(ASKED_VERSIONLESS, CUSTOMER, new byte[32]);

        assertThat(both.key()).isNull();
        assertThat(both.wrapped()).isNull();
        assertOutage(both.getFailure());
        assertOutage(both.wrapFailure());
    }

    @Test
    void anUnwrapAnsweredByAnotherKeyIsAnOutage() {
        WrappedUnlockKey stored = new WrappedUnlockKey(ASKED, "RSA-OAEP-256", new byte[256]);

        refusedAsAnOutage(() -> answering(OTHER_VAULTS_KEY).unwrap(stored, CUSTOMER));
        refusedAsAnOutage(() -> answering(ASKED_VERSIONLESS.keyId() + "/ffffffffffffffffffffffffffffffff")
                .unwrap(stored, CUSTOMER));
        assertThat(answering(ASKED.keyId()).unwrap(stored, CUSTOMER)).isNotEmpty();
    }
}
