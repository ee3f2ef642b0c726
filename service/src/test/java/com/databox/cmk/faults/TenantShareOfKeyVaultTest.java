package com.databox.cmk.faults;

import static com.databox.cmk.testing.CustomerKeyVault.admin;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.sdkhttp.WaitingRequests;
import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service counts a request's Key Vault calls against its caller's tenant, taken from the caller's token (bug bash
 * nn1 F1): one tenant's requests waiting on its slow vault hold at most a quarter of {@code
 * cmk.keyvault.max-waiting-requests} (16 of 64), and the next one of that tenant is refused, while the bound as a
 * whole still has room for the other tenants.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class TenantShareOfKeyVaultTest {
    private static final int TENANT_SHARE = WaitingRequests.DEFAULT_LIMIT / 4;
    /** Half the callers' share (48): a tenant may borrow past its share until then. */
    private static final int BUSY_FROM = 24;

    private static final int REQUESTS = BUSY_FROM + 6;

    @AfterEach
    void clearFaults() {
        CmkOrder.clearFaults();
    }

    @Test
    void aTenantsRequestsBeyondItsShareOfTheWaitingOnKeyVaultAreRefusedInWordsOfItsShare() throws Exception {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        // Each read of the key answers after 3 s: within the call's timeout, so each request waits once, that long.
        admin().injectFault(vault.name(), "get", 0, 1000, 0, 3000);

        ExecutorService callers = Executors.newFixedThreadPool(REQUESTS);
        List<Response> responses = new ArrayList<>();
        try {
            List<Future<Response>> sent = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                sent.add(callers.submit(() -> order.validate()));
            }
            for (Future<Response> response : sent) {
                responses.add(response.get(LocalStack.KEYVAULT_REQUEST_DEADLINE.toSeconds() + 10, TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }

        List<Response> refused = responses.stream()
                .filter(r -> r.statusCode() == 503
                        && r.asString()
                                .contains("At least " + TENANT_SHARE
                                        + " requests of this tenant's are waiting on Key Vault"))
                .toList();
        assertThat(refused)
                .as(responses.stream()
                        .map(r -> r.statusCode() + " " + r.asString())
                        .toList()
                        .toString())
                .hasSizeGreaterThanOrEqualTo(REQUESTS - BUSY_FROM)
                .allSatisfy(r -> {
                    assertThat(r.path("error.code").toString()).isEqualTo("KeyVaultUnavailable");
                    assertThat(r.header("Retry-After"))
                            .as("its own calls free its share")
                            .isEqualTo("1");
                });
        assertThat(responses.stream().filter(r -> r.statusCode() == 200).count())
                .as("the tenant's share of requests waited and were answered")
                .isBetween(1L, (long) BUSY_FROM);
    }

    /**
     * A tenant's burst on a healthy vault, larger than it may have waiting at once, drains as a client retrying after
     * each {@code Retry-After} (as the Azure SDKs do) sees it: every proposal validated within a few seconds, since the
     * tenant's own calls free its share (review df3 F1: with 30 s, such a client waited half a minute).
     */
    @Test
    void aTenantsBurstOnAHealthyVaultDrainsForAClientThatRetriesAfterRetryAfter() throws Exception {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        Map<String, Object> proposal = CmkOrder.enableBody(
                vault.keyUrl(),
                vault.resourceId(),
                CmkOrder.userAssigned(vault.identity().resourceId()));
        int burst = REQUESTS + 10;
        // A healthy vault, a little slow (each read of the key 300 ms), so that the burst is all waiting at once.
        admin().injectFault(vault.name(), "get", 0, 1000, 0, 300);

        ExecutorService callers = Executors.newFixedThreadPool(burst);
        List<Integer> retryAfters = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                sent.add(callers.submit(() -> {
                    for (int attempt = 1; ; attempt++) {
                        Response answer = order.validate(proposal);
                        if (answer.statusCode() != 503 || attempt == 10) {
                            return answer.statusCode();
                        }
                        int after = Integer.parseInt(answer.header("Retry-After"));
                        retryAfters.add(after);
                        Thread.sleep(after * 1000L);
                    }
                }));
            }
            for (Future<Integer> status : sent) {
                assertThat(status.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(retryAfters)
                .as("the burst went past the tenant's share, and each refusal asked for a second")
                .isNotEmpty()
                .allSatisfy(after -> assertThat(after).isEqualTo(1));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }
}
