package com.databox.cmk.encryption;

import static com.databox.cmk.testing.CustomerKeyVault.admin;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import com.databox.cmk.testing.Pause;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A key URL that names its version is checked with its Get and its WrapKey in flight together (issue
 * 16): the wrap needs nothing from the get. Without a version the wrap waits for the get, which names
 * the version to wrap with. Seen through the emulator, which counts a call when it arrives, before the
 * delay a fault holds it for.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class GetAndWrapAtOnceTest {
    /** Within one attempt's timeout, so the held Get is answered rather than retried. */
    private static final Duration HELD_GET = LocalStack.KEYVAULT_TIMEOUT.minusSeconds(1);

    @AfterEach
    void clearFaults() {
        CmkOrder.clearFaults();
    }

    @Test
    void aVersionedKeysWrapIsSentWhileItsGetIsStillHeld() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);

        Observed observed = validateWithTheGetHeld(vault, order::validate);

        assertThat(observed.wrapSentWhileGetHeld())
                .as("the wrap was sent before the held Get answered")
                .isTrue();
        assertThat(observed.report().statusCode()).isEqualTo(200);
        assertThat(observed.report().jsonPath().getBoolean("valid")).isTrue();
    }

    @Test
    void aVersionlessKeysWrapWaitsForItsGetToNameTheVersion() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        Map<String, Object> proposal = CmkOrder.enableBodyFollowingVersions(vault);

        Observed observed = validateWithTheGetHeld(vault, () -> order.validate(proposal));

        assertThat(observed.wrapSentWhileGetHeld()).isFalse();
        assertThat(observed.report().statusCode()).isEqualTo(200);
        assertThat(observed.report().jsonPath().getBoolean("valid")).isTrue();
    }

    private record Observed(boolean wrapSentWhileGetHeld, Response report) {}

    /** Holds the next Get and watches for the wrap until shortly before the Get is let go. */
    private static Observed validateWithTheGetHeld(
            CustomerKeyVault vault, java.util.function.Supplier<Response> validate) {
        long wrapsBefore = admin().requests(vault.name()).of("wrapKey");
        admin().injectFault(vault.name(), "get", 0, 1, 0, HELD_GET.toMillis());
        long watchUntil = System.nanoTime() + HELD_GET.minusMillis(500).toNanos();
        CompletableFuture<Response> validating = CompletableFuture.supplyAsync(validate);
        boolean wrapSent = false;
        while (!wrapSent && System.nanoTime() < watchUntil) {
            wrapSent = admin().requests(vault.name()).of("wrapKey") > wrapsBefore;
            Pause.millis(50);
        }
        return new Observed(wrapSent, validating.join());
    }
}
