package com.databox.cmk.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.encryption.KeyAndWrap;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.databox.cmk.unlockkey.WrappingIdentity;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Every call the gateway makes with a key checks the key's host against the allow-list before anything is sent: a
 * key a caller hands it (a parsed KeyUrl since 2026-12-07; review rv8 found only the unwrap held by a test) and a
 * wrapped unlock key stored with a key whose host was taken off the list since. No token is asked for: a call that
 * went out would fail otherwise.
 */
class GatewayAllowListUnitTest {
    private static final KeyUrl OFF_THE_LIST =
            KeyUrl.parse("https://contoso.vault.example.org/keys/kek/0123456789abcdef0123456789abcdef");
    private static final WrappingIdentity CUSTOMER = new WrappingIdentity.ManagedIdentity(
            new UserAssignedIdentityId(
                    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai"));

    private final Vertx vertx = Vertx.vertx();
    private final SdkKeyVaultGateway gateway = new SdkKeyVaultGateway(
            new KeyVaultClients(KeyVaultClientsUnitTest.settings(), vertx),
            new ManagedIdentityCredentials(request -> Mono.error(new IllegalStateException("no token expected"))));

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void refusedForItsHost(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultUrlInvalidHost);
            assertThat(e.getMessage()).contains("contoso.vault.example.org");
        });
    }

    /** A key ID the vault answers that is no key identifier is the vault's outage, not the customer's URL. */
    @Test
    void aKeyIdTheVaultAnswersThatIsNoKeyIdentifierIsAnOutage() {
        assertThat(SdkKeyVaultGateway.answeredKeyUrl(OFF_THE_LIST, OFF_THE_LIST.keyId()))
                .isEqualTo(OFF_THE_LIST);
        assertThatThrownBy(() ->
                        SdkKeyVaultGateway.answeredKeyUrl(OFF_THE_LIST, "https://contoso.vault.azure.net/secrets/kek"))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
                    assertThat(e.retryAfter()).isNotNull();
                });
    }

    @Test
    void describeChecksTheHost() {
        refusedForItsHost(() -> gateway.describe(OFF_THE_LIST, CUSTOMER));
    }

    @Test
    void wrapChecksTheHost() {
        refusedForItsHost(() -> gateway.wrap(OFF_THE_LIST, CUSTOMER, new byte[32]));
    }

    @Test
    void describeAndWrapChecksTheHostBeforeEitherCall() {
        refusedForItsHost(() -> {
            KeyAndWrap both = gateway.describeAndWrap(OFF_THE_LIST, CUSTOMER, new byte[32]);
            throw new AssertionError("both calls were made: " + both);
        });
    }

    /**
     * A wrapped unlock key stored with a key whose host the operator has since taken off the allow-list: no request
     * goes there, and the answer says who can fix it (bug bash of 2026-12-06, operator F1 and F2). It asked the
     * customer to use a key in an allowed vault, which every way off the stored key (it unwraps with it first)
     * refused again; for the service's own key it gave the customer that code rather than the service's fault.
     */
    private static final WrappedUnlockKey STORED_ON_A_REMOVED_HOST =
            new WrappedUnlockKey(OFF_THE_LIST, "RSA-OAEP-256", new byte[256]);

    @Test
    void aCustomersStoredKeyOnAHostNoLongerAllowedNamesTheOperator() {
        assertThatThrownBy(() -> gateway.unwrap(STORED_ON_A_REMOVED_HOST, CUSTOMER))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultUrlInvalidHost);
                    assertThat(e.target()).isNull();
                    assertThat(e.getMessage()).contains("no longer on the service");
                    assertThat(e.resolution()).contains("operator");
                });
    }

    @Test
    void theServicesOwnStoredKeyOnAHostNoLongerAllowedIsTheServicesFault() {
        assertThatThrownBy(() -> gateway.unwrap(STORED_ON_A_REMOVED_HOST, WrappingIdentity.SERVICE))
                .isInstanceOfSatisfying(
                        ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.InternalError));
    }
}
