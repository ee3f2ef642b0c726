package com.databox.cmk.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.testing.inmemory.InMemoryStack.CustomerKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link KeyEventPublisher}: what Logic Apps are told. */
class KeyEventPublisherUnitTest {
    private final InMemoryStack stack = new InMemoryStack(new AuditSettings(2, 4, Duration.ofMillis(200)));
    private final CustomerKey key = stack.customerKey();

    @Test
    void eventsNameTheOrderAndKeyButCarryNoKeyMaterial() {
        new KeyEventPublisher(stack.events, stack.clock)
                .accessLost(InMemoryStack.newName(), key.keyUrl(), ErrorCode.SsemUserErrorKeyDetailsNotFound, "gone");
        CmkEvent event = stack.events.published().getFirst();
        assertThat(List.of(event.kekUrl(), event.errorCode(), event.message()))
                .containsExactly(key.keyUrl(), "SsemUserErrorKeyDetailsNotFound", "gone");
    }
}
