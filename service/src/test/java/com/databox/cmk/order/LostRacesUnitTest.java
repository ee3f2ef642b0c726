package com.databox.cmk.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A change without If-Match that loses to other writes is tried {@link LostRaces#ATTEMPTS} times, no more. */
class LostRacesUnitTest {
    private static final OrderName NAME = new OrderName("order-1");

    @Test
    void aChangeThatLosesEveryTimeIsTriedFiveTimesThen409() {
        AtomicInteger tries = new AtomicInteger();
        assertThatThrownBy(() -> LostRaces.retried(IfMatch.ABSENT, NAME, () -> {
                    tries.incrementAndGet();
                    throw new StaleOrderException(NAME);
                }))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OrderChangedConcurrently);
                    assertThat(e.getCause()).isInstanceOf(StaleOrderException.class);
                });
        assertThat(tries).hasValue(LostRaces.ATTEMPTS).hasValue(5);
    }

    @Test
    void aChangeThatWinsOnItsLastTryIsMade() {
        AtomicInteger tries = new AtomicInteger();
        String made = LostRaces.retried(IfMatch.of("*"), NAME, () -> {
            if (tries.incrementAndGet() < LostRaces.ATTEMPTS) {
                throw new StaleOrderException(NAME);
            }
            return "made";
        });
        assertThat(made).isEqualTo("made");
        assertThat(tries).hasValue(5);
    }
}
