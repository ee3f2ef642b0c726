package com.databox.cmk.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.databox.cmk.app.CmkDefaults;
import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.identity.ManagedIdentityCredentials;
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
 * Bug bash nn1 (noisy neighbour): the bound on requests waiting on Key Vault is one per instance, shared by
 * every vault and every tenant. One tenant whose own vault stops answering (or throttles) and who keeps
 * {@code max-waiting-requests} requests on it takes every permit, and every other tenant's call to its own,
 * healthy vault (and the service's own Microsoft-managed key) is refused at once with KeyVaultUnavailable.
 * A vault that does not answer should take at most its share of the bound, so that a call to another vault is
 * still made.
 */
class NoisyNeighbourVaultTest {
    private static final int LIMIT = 4;
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    private static final WrappingIdentity IDENTITY_A = identity("uai-a");
    private static final WrappingIdentity IDENTITY_B = identity("uai-b");

    private final SilentServer tenantAsVault = SilentServer.start();
    private final SilentServer tenantBsVault = SilentServer.start();
    private final Vertx vertx = Vertx.vertx();
    private final SdkKeyVaultGateway gateway = new SdkKeyVaultGateway(
            new KeyVaultClients(
                    new KeyVaultSettings(
                            VaultHostPolicy.of(
                                    CmkDefaults.vaultHostSuffixes(),
                                    List.of("127.0.0.1:" + tenantAsVault.port(), "127.0.0.1:" + tenantBsVault.port())),
                            Optional.empty(),
                            0,
                            Duration.ofMillis(10),
                            Duration.ofSeconds(10),
                            Duration.ofSeconds(5),
                            DEADLINE,
                            CmkDefaults.audit().concurrency(),
                            LIMIT),
                    vertx),
            new ManagedIdentityCredentials(request -> Mono.error(new IllegalStateException("no token expected"))));
    private final ExecutorService workers = Executors.newFixedThreadPool(LIMIT + 1);

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

    @Test
    void oneTenantsSilentVaultDoesNotRefuseAnotherTenantsCallToItsOwnVault() throws Exception {
        List<Future<ServiceException>> tenantA = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            tenantA.add(workers.submit(() -> catchThrowableOfType(
                    ServiceException.class, () -> gateway.describe(key(tenantAsVault), IDENTITY_A))));
        }
        tenantAsVault.awaitConnections(1);
        Thread.sleep(500); // every one of tenant A's requests is waiting on its vault now

        Future<ServiceException> tenantB = workers.submit(() ->
                catchThrowableOfType(ServiceException.class, () -> gateway.describe(key(tenantBsVault), IDENTITY_B)));
        ServiceException b = tenantB.get(DEADLINE.toSeconds() + 5, TimeUnit.SECONDS);

        assertThat(b.getMessage())
                .as("tenant B's call to its own vault is made (here that vault is silent too, so it ends at the"
                        + " deadline), not refused because tenant A's requests wait on tenant A's vault")
                .doesNotContain("waiting on it already");
        assertThat(tenantBsVault.connections())
                .as("tenant B's vault was called")
                .isPositive();
        for (Future<ServiceException> a : tenantA) {
            a.get(DEADLINE.toSeconds() + 5, TimeUnit.SECONDS);
        }
    }
}
