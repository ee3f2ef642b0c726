package com.databox.cmk.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.databox.cmk.unlockkey.WrappingIdentity;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A wrapped unlock key stored with a key whose host the operator has since taken off the allow-list: no request
 * goes there, and the answer says who can fix it (bug bash of 2026-12-06, operator F1 and F2). It asked the
 * customer to use a key in an allowed vault, which every way off the stored key (it unwraps with it first) refused
 * again; for the service's own key it gave the customer that code rather than the service's fault.
 */
class StoredKeyHostUnitTest {
    private static final WrappedUnlockKey ON_A_REMOVED_HOST = new WrappedUnlockKey(
            "https://contoso.vault.example.org/keys/kek/0123456789abcdef0123456789abcdef",
            "RSA-OAEP-256",
            new byte[256]);

    private final Vertx vertx = Vertx.vertx();
    private final SdkKeyVaultGateway gateway = new SdkKeyVaultGateway(
            new KeyVaultClients(KeyVaultClientsUnitTest.settings(), vertx),
            new ManagedIdentityCredentials(request -> Mono.error(new IllegalStateException("no token expected"))));

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCustomersStoredKeyOnAHostNoLongerAllowedNamesTheOperator() {
        WrappingIdentity customer = new WrappingIdentity.ManagedIdentity(
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u");
        assertThatThrownBy(() -> gateway.unwrap(ON_A_REMOVED_HOST, customer))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultUrlInvalidHost);
                    assertThat(e.target()).isNull();
                    assertThat(e.getMessage()).contains("no longer on the service");
                    assertThat(e.resolution()).contains("operator");
                });
    }

    @Test
    void theServicesOwnStoredKeyOnAHostNoLongerAllowedIsTheServicesFault() {
        assertThatThrownBy(() -> gateway.unwrap(ON_A_REMOVED_HOST, WrappingIdentity.SERVICE))
                .isInstanceOfSatisfying(
                        ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.InternalError));
    }
}
