package com.databox.cmk.faults;

import static com.databox.cmk.testing.CmkOrder.assertError;
import static com.databox.cmk.testing.CustomerKeyVault.admin;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A vault's waits are bounded (issue #15): its Retry-After is capped, and all the vault calls of one
 * request share one deadline ({@link LocalStack#KEYVAULT_REQUEST_DEADLINE} here), past which the
 * request answers 503 KeyVaultUnavailable and changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class KeyVaultDeadlineTest {

    @AfterEach
    void clearFaults() {
        CmkOrder.clearFaults();
    }

    @Test
    void aRetryAfterOf100SecondsIsCappedAndTheChangeSucceeds() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        String newVersion = vault.newVersion();
        // Honoured as asked, the wait alone would pass the request's deadline: 503.
        admin().injectFault(vault.name(), "get", 429, 1, 100, 0);

        Instant start = Instant.now();
        Response response = order.changeKey(newVersion, vault.resourceId());
        Duration took = Duration.between(start, Instant.now());

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(order.storedWrappedKeyId()).isEqualTo(newVersion);
        System.out.printf("A 429 with Retry-After 100 s: the change succeeded in %d ms%n", took.toMillis());
    }

    @Test
    void theVaultCallsOfOneRequestShareOneDeadline() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        String newVersion = vault.newVersion();
        CmkOrder.Snapshot before = order.snapshot();
        long timeout = LocalStack.KEYVAULT_TIMEOUT.toMillis();
        // The change's first call, the unwrap with the current key, times out twice and then succeeds
        // (two timeouts of the deadline spent); then the new key's Get never answers in time.
        admin().injectFault(vault.name(), "unwrapKey", 0, 2, 0, timeout + 1500);
        admin().injectFault(vault.name(), "get", 0, 100, 0, timeout + 1500);
        long getsBefore = admin().requests(vault.name()).of("get");

        Instant start = Instant.now();
        Response response = order.changeKey(newVersion, vault.resourceId());
        Duration took = Duration.between(start, Instant.now());
        long gets = admin().requests(vault.name()).of("get") - getsBefore;

        assertError(response, 503, "KeyVaultUnavailable");
        assertThat(response.header("Retry-After")).matches("[1-9][0-9]*");
        System.out.printf(
                "Deadline %d s: 503 after %d ms, %d attempts of the hanging Get%n",
                LocalStack.KEYVAULT_REQUEST_DEADLINE.toSeconds(), took.toMillis(), gets);
        // With a deadline of its own the Get would have had time for all its 4 attempts (4 s each); with
        // what the unwrap left of the request's, at most 3 start.
        assertThat(gets).as("attempts of the Get").isBetween(1L, 3L);
        assertThat(took)
                .as("bounded by the deadline, not by the calls' timeouts and retries")
                .isLessThan(LocalStack.KEYVAULT_REQUEST_DEADLINE.multipliedBy(2));
        CmkOrder.clearFaults();
        order.assertUnchangedSince(before);
    }
}
