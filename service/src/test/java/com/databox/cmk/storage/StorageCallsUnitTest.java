package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.databox.cmk.app.StorageClients;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.identity.TokenServiceUnavailable;
import com.databox.cmk.identity.TokensWithin;
import com.databox.cmk.testing.StubResponse;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** What a storage call that got no answer becomes: the contract's outage, never the SDK's exception (a 500). */
class StorageCallsUnitTest {
    private final StorageCalls calls = new StorageCalls("orders", () -> {}, Duration.ofSeconds(7));

    @Test
    void aCallRefusedForWantOfAPlaceAmongThoseWaitingForAConnectionIsAnOutageToRetry() {
        assertThatThrownBy(() -> calls.call(() -> {
                    throw new RuntimeException(
                            new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 256"));
                }))
                .isInstanceOfSatisfying(ServiceException.class, outage -> {
                    assertThat(outage.code()).isEqualTo(ErrorCode.StorageUnavailable);
                    assertThat(outage.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                });
    }

    /**
     * Storage reached with the app's own identity (no connection string): the token service answering 503 after
     * retries makes the credential throw TokenServiceUnavailable (identity/TokenServiceWatch), through the Tables
     * SDK's own pipeline. It was a 500 InternalError (bug bash of 2026-12-06).
     */
    @Test
    void noTokenForStorageBecauseTheTokenServiceIsDownIsAnOutageToRetry() {
        TokenCredential down = request -> Mono.error(new TokenServiceUnavailable(
                503, new ClientAuthenticationException("Managed Identity authentication failed", null)));
        TableClient table = new TableClientBuilder()
                .endpoint("https://account.table.core.windows.net")
                .tableName("orders")
                .credential(down)
                .httpClient(request -> Mono.error(new AssertionError("storage reached without a token")))
                .buildClient();

        assertThatThrownBy(() -> calls.call(() -> table.getEntity("p", "r")))
                .isInstanceOfSatisfying(ServiceException.class, outage -> {
                    assertThat(outage.code()).isEqualTo(ErrorCode.StorageUnavailable);
                    assertThat(outage.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                });
    }

    /**
     * A token service that takes the connection and never answers: storage's token is given up at the storage
     * call's own limit, an outage to retry, where the identity endpoint's client waited 60 s a try (bug bash of
     * 2026-12-06, operability F3).
     */
    @Test
    void noTokenForStorageWithinItsLimitIsAnOutageToRetry() {
        TableClient table = new TableClientBuilder()
                .endpoint("https://account.table.core.windows.net")
                .tableName("orders")
                .credential(new TokensWithin(request -> Mono.never(), Duration.ofMillis(300)))
                .retryOptions(StorageClients.retries(1))
                .httpClient(request -> Mono.error(new AssertionError("storage reached without a token")))
                .buildClient();

        long started = System.nanoTime();
        assertThatThrownBy(() -> calls.call(() -> table.getEntity("p", "r")))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        outage -> assertThat(outage.code()).isEqualTo(ErrorCode.StorageUnavailable));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    /**
     * Storage answering 408 (its own server-side timeout), 429 or a 5xx after the SDK's retries is an outage to retry
     * later (503 StorageUnavailable with Retry-After), not the SDK's exception answered as a 500.
     */
    @Test
    void storageAnswering408Or429Or503IsAnOutageToRetry() {
        for (int status : new int[] {408, 429, 503}) {
            TableClient table = new TableClientBuilder()
                    .endpoint("https://account.table.core.windows.net")
                    .tableName("orders")
                    .sasToken("sv=2020-08-04&sig=x")
                    .retryOptions(StorageClients.retries(0))
                    .httpClient(request -> Mono.just(new StubResponse(
                            request,
                            status,
                            new HttpHeaders().set(HttpHeaderName.CONTENT_TYPE, "application/json"),
                            "{\"odata.error\":{\"code\":\"OperationTimedOut\"}}")))
                    .buildClient();

            assertThatThrownBy(() -> calls.call(() -> table.getEntity("p", "r")))
                    .as("storage answering %d", status)
                    .isInstanceOfSatisfying(ServiceException.class, outage -> {
                        assertThat(outage.code()).isEqualTo(ErrorCode.StorageUnavailable);
                        assertThat(outage.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                    });
        }
    }

    @Test
    void aFailureWithNothingOfAnOutageIsLeftToItsCaller() {
        IllegalStateException mistake = new IllegalStateException("the service's own mistake");
        assertThatThrownBy(() -> calls.call(() -> {
                    throw mistake;
                }))
                .isSameAs(mistake);
    }
}
