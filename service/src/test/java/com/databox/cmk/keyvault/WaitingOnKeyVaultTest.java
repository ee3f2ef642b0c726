package com.databox.cmk.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.databox.cmk.app.CmkDefaults;
import com.databox.cmk.encryption.VaultHostPolicy;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.testing.SilentServer;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import com.databox.cmk.unlockkey.WrappingIdentity;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A vault that stops answering holds each request that calls it until the request's deadline; the requests
 * waiting on it at once are bounded, so that they cannot take every worker thread from the other routes (a
 * storage-only read stalled 27 s behind 210 requests waiting on a paused vault). Here one may wait: the
 * vault is a local port that takes connections and never answers.
 */
class WaitingOnKeyVaultTest {
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    private static final WrappingIdentity IDENTITY = new WrappingIdentity.ManagedIdentity(
            new UserAssignedIdentityId(
                    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1"));

    private final SilentServer vault = SilentServer.start();
    private final String keyUrl = "https://127.0.0.1:" + vault.port() + "/keys/kek/0123456789abcdef0123456789abcdef";
    private final Vertx vertx = Vertx.vertx();
    private final SdkKeyVaultGateway gateway = new SdkKeyVaultGateway(
            new KeyVaultClients(settingsWithoutRetries(List.of(vault.port()), DEADLINE, 1), vertx),
            // Key Vault's challenge comes first: a vault that never answers is never asked with a token.
            new ManagedIdentityCredentials(request -> Mono.error(new IllegalStateException("no token expected"))));
    private final ExecutorService worker = Executors.newSingleThreadExecutor();

    /**
     * Key Vault settings for vaults on this machine's {@code ports}: no retries, the given request deadline and bound
     * on waiting requests (also NoisyNeighbourVaultTest's).
     */
    static KeyVaultSettings settingsWithoutRetries(List<Integer> ports, Duration deadline, int maxWaitingRequests) {
        return new KeyVaultSettings(
                VaultHostPolicy.of(
                        CmkDefaults.vaultHostSuffixes(),
                        ports.stream().map(port -> "127.0.0.1:" + port).toList()),
                Optional.empty(),
                0,
                Duration.ofMillis(10),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                deadline,
                CmkDefaults.audit().concurrency(),
                maxWaitingRequests);
    }

    @AfterEach
    void stop() throws Exception {
        worker.shutdownNow();
        vault.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRequestBeyondThoseWaitingOnTheVaultIsRefusedAtOnceAndTheCallNotMade() throws Exception {
        Future<ServiceException> waiting = worker.submit(() ->
                catchThrowableOfType(ServiceException.class, () -> gateway.describe(KeyUrl.parse(keyUrl), IDENTITY)));
        vault.awaitConnections(1);
        int connections = vault.connections();

        Instant start = Instant.now();
        ServiceException refused = catchThrowableOfType(
                ServiceException.class,
                () -> gateway.unwrap(
                        new WrappedUnlockKey(KeyUrl.parse(keyUrl), "RSA-OAEP-256", new byte[384]), IDENTITY));
        Duration took = Duration.between(start, Instant.now());

        assertThat(refused.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(refused.retryAfter()).isNotNull();
        assertThat(refused.getMessage()).contains("waiting").contains("nothing was changed");
        assertThat(took).as("refused at once, not at the deadline").isLessThan(Duration.ofMillis(500));
        assertThat(vault.connections()).as("the refused call was not made").isEqualTo(connections);

        ServiceException timedOut = waiting.get(DEADLINE.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(timedOut.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(timedOut.getMessage()).contains("within the " + DEADLINE.toSeconds() + " s");

        // Its wait over, the next request's call is made again.
        int before = vault.connections();
        ServiceException next =
                catchThrowableOfType(ServiceException.class, () -> gateway.describe(KeyUrl.parse(keyUrl), IDENTITY));
        assertThat(next.getMessage()).contains("within the " + DEADLINE.toSeconds() + " s");
        assertThat(vault.connections()).isGreaterThanOrEqualTo(before);
    }

    @Test
    void theAuditsVirtualThreadsAreNotCountedAsWaitingRequests() throws Exception {
        Future<ServiceException> waiting = worker.submit(() ->
                catchThrowableOfType(ServiceException.class, () -> gateway.describe(KeyUrl.parse(keyUrl), IDENTITY)));
        vault.awaitConnections(1);

        List<ServiceException> audited = new CopyOnWriteArrayList<>();
        Thread audit = Thread.ofVirtual()
                .start(() -> audited.add(catchThrowableOfType(
                        ServiceException.class, () -> gateway.describe(KeyUrl.parse(keyUrl), IDENTITY))));
        audit.join(Duration.ofSeconds(DEADLINE.toSeconds() + 5));

        assertThat(audited)
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage())
                        .as("made, and given up at the deadline")
                        .contains("within the " + DEADLINE.toSeconds() + " s"));
        waiting.get(DEADLINE.toSeconds() + 5, TimeUnit.SECONDS);
    }
}
