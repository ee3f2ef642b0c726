package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

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

    @Test
    void aFailureWithNothingOfAnOutageIsLeftToItsCaller() {
        IllegalStateException mistake = new IllegalStateException("the service's own mistake");
        assertThatThrownBy(() -> calls.call(() -> {
                    throw mistake;
                }))
                .isSameAs(mistake);
    }
}
