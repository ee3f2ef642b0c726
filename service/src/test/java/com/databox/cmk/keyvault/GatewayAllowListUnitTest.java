package com.databox.cmk.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.encryption.KeyAndWrap;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappingIdentity;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Every call the gateway makes with a key checks the key's host against the allow-list before anything is sent,
 * now that callers hand it a parsed KeyUrl instead of a string it parsed and checked itself (review rv8: only
 * unwrap was held, by StoredKeyHostUnitTest). No token is asked for: a call that went out would fail otherwise.
 */
class GatewayAllowListUnitTest {
    private static final KeyUrl OFF_THE_LIST =
            KeyUrl.parse("https://contoso.vault.example.org/keys/kek/0123456789abcdef0123456789abcdef");
    private static final WrappingIdentity CUSTOMER = new WrappingIdentity.ManagedIdentity(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u");

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
        assertThat(SdkKeyVaultGateway.answeredKeyUrl(OFF_THE_LIST.keyId())).isEqualTo(OFF_THE_LIST);
        assertThatThrownBy(() -> SdkKeyVaultGateway.answeredKeyUrl("https://contoso.vault.azure.net/secrets/kek"))
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
}
