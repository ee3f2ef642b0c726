package com.databox.cmk.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.testing.SilentServer;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappingIdentity;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Bug bash nn1 (noisy neighbour): the bound on requests waiting on Key Vault was one per instance, shared by every
 * vault and every tenant. One tenant whose own vault stops answering (or throttles) and who kept {@code
 * max-waiting-requests} requests on it took every permit, and every other tenant's call to its own, healthy vault
 * (and the service's own Microsoft-managed key) was refused at once with KeyVaultUnavailable, in words blaming that
 * tenant's vault. Now a tenant's calls hold at most a quarter of the bound, and the customers' together at most three
 * quarters: the rest is the service's own key's. Here the bound is 8: 2 per tenant, 6 for the customers.
 */
class NoisyNeighbourVaultTest {
    private static final int LIMIT = 8;
    private static final int TENANT_SHARE = 2;
    /** Half the callers' share (6): from there a tenant holds no more than its share. */
    private static final int BUSY_FROM = 3;

    private static final Duration DEADLINE = Duration.ofSeconds(3);
    private static final WrappingIdentity IDENTITY_A = identity("uai-a");
    private static final WrappingIdentity IDENTITY_B = identity("uai-b");
    private static final TenantId TENANT_A = new TenantId("aaaaaaaa-0000-4000-8000-00000000000a");
    private static final TenantId TENANT_B = new TenantId("bbbbbbbb-0000-4000-8000-00000000000b");
    private static final TenantId TENANT_C = new TenantId("cccccccc-0000-4000-8000-00000000000c");
    private static final TenantId TENANT_D = new TenantId("dddddddd-0000-4000-8000-00000000000d");

    /** The calling request's tenant, as the request context gives it in the service. */
    private static final ThreadLocal<TenantId> REQUEST_TENANT = new ThreadLocal<>();

    private final SilentServer tenantAsVault = SilentServer.start();
    private final SilentServer tenantBsVault = SilentServer.start();
    private final Vertx vertx = Vertx.vertx();
    private final SdkKeyVaultGateway gateway = new SdkKeyVaultGateway(
            new KeyVaultClients(
                    WaitingOnKeyVaultTest.settingsWithoutRetries(
                            List.of(tenantAsVault.port(), tenantBsVault.port()), DEADLINE, LIMIT),
                    vertx),
            new ManagedIdentityCredentials(request -> Mono.error(new IllegalStateException("no token expected"))),
            Optional::empty,
            () -> Optional.ofNullable(REQUEST_TENANT.get()));
    private final ExecutorService workers = Executors.newCachedThreadPool();

    private static WrappingIdentity identity(String name) {
        return new WrappingIdentity.ManagedIdentity(new UserAssignedIdentityId(
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/"
                        + name));
    }

    private static KeyUrl key(SilentServer vault) {
        return KeyUrl.parse("https://127.0.0.1:" + vault.port() + "/keys/kek/0123456789abcdef0123456789abcdef");
    }

    @AfterEach
    void stop() throws Exception {
        workers.shutdownNow();
        tenantAsVault.close();
        tenantBsVault.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A request of {@code tenant} reading {@code key} as {@code identity}: its failure (each vault here is silent). */
    private Future<ServiceException> describe(TenantId tenant, KeyUrl key, WrappingIdentity identity) {
        return workers.submit(() -> {
            REQUEST_TENANT.set(tenant);
            try {
                return catchThrowableOfType(ServiceException.class, () -> gateway.describe(key, identity));
            } finally {
                REQUEST_TENANT.remove();
            }
        });
    }

    private static ServiceException ended(Future<ServiceException> call) throws Exception {
        return call.get(DEADLINE.toSeconds() + 5, TimeUnit.SECONDS);
    }

    @Test
    void oneTenantsSilentVaultDoesNotRefuseAnotherTenantsCallToItsOwnVault() throws Exception {
        List<Future<ServiceException>> tenantA = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            tenantA.add(describe(TENANT_A, key(tenantAsVault), IDENTITY_A));
        }
        tenantAsVault.awaitConnections(1);
        Thread.sleep(500); // tenant A's share of requests is waiting on its vault now, the rest refused

        ServiceException b = ended(describe(TENANT_B, key(tenantBsVault), IDENTITY_B));

        assertThat(b.getMessage())
                .as("tenant B's call to its own vault is made (here that vault is silent too, so it ends at the"
                        + " deadline), not refused because tenant A's requests wait on tenant A's vault")
                .contains("within the " + DEADLINE.toSeconds() + " s");
        assertThat(tenantBsVault.connections())
                .as("tenant B's vault was called")
                .isPositive();
        List<ServiceException> refused = new ArrayList<>();
        for (Future<ServiceException> a : tenantA) {
            ServiceException failure = ended(a);
            if (!failure.getMessage().contains("within the")) {
                refused.add(failure);
            }
        }
        assertThat(refused)
                .as("tenant A's requests beyond its share, refused in words of its share")
                .hasSize(LIMIT - BUSY_FROM)
                .allSatisfy(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
                    assertThat(e.retryAfter()).isEqualTo(KeyVaultErrors.SHARE_RETRY_AFTER);
                    assertThat(e.getMessage())
                            .startsWith("At least " + TENANT_SHARE + " requests of this tenant's are waiting on Key"
                                    + " Vault on this instance already")
                            .contains("nothing was changed");
                });
    }

    @Test
    void theServicesOwnKeyIsCalledWhileTheCustomersShareIsFullAndACustomerIsRefusedInWordsOfOthers() throws Exception {
        List<Future<ServiceException>> others = new ArrayList<>();
        for (TenantId tenant : List.of(TENANT_A, TENANT_C, TENANT_D)) {
            for (int i = 0; i < TENANT_SHARE; i++) {
                others.add(describe(tenant, key(tenantAsVault), IDENTITY_A));
            }
        }
        tenantAsVault.awaitConnections(1);
        Thread.sleep(500); // the customers' share, 6, is waiting on tenant A's vault now

        ServiceException customer = ended(describe(TENANT_B, key(tenantBsVault), IDENTITY_B));
        assertThat(customer.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(customer.retryAfter()).isEqualTo(KeyVaultErrors.CALLERS_RETRY_AFTER);
        assertThat(customer.getMessage())
                .startsWith("This instance has 6 requests waiting on Key Vault already, most of them for other callers")
                .as("no other tenant's vault is named")
                .doesNotContain(String.valueOf(tenantAsVault.port()));
        assertThat(tenantBsVault.connections())
                .as("the refused call was not made")
                .isZero();

        ServiceException ownKey = ended(describe(TENANT_B, key(tenantBsVault), WrappingIdentity.SERVICE));
        assertThat(ownKey.getMessage()).startsWith("The service's own key could not be used for a moment");
        assertThat(ownKey.getCause().getMessage())
                .as("the service's own key's call is made (its vault is silent here: it ends at the deadline)")
                .contains("within the " + DEADLINE.toSeconds() + " s");
        assertThat(tenantBsVault.connections()).isPositive();

        for (Future<ServiceException> other : others) {
            assertThat(ended(other).getMessage()).contains("within the " + DEADLINE.toSeconds() + " s");
        }
        // Their calls over, the tenant's are made again.
        assertThat(ended(describe(TENANT_B, key(tenantBsVault), IDENTITY_B)).getMessage())
                .contains("within the " + DEADLINE.toSeconds() + " s");
    }
}
