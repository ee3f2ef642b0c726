package com.databox.cmk.faults;

import static com.databox.cmk.testing.CmkOrder.assertError;
import static com.databox.cmk.testing.CustomerKeyVault.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import com.databox.cmk.emulator.keyvault.RequestCounts;
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
 * Key Vault faults injected in the emulator during a change-key, at each of its Key Vault steps:
 * throttling that the SDK's retries outlast, an outage longer than the retries, and calls slower
 * than the client timeout. A failed change answers the contract's error (never a 500 or a stack
 * trace) and leaves the order exactly as it was; the same change succeeds once the faults are gone.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class KeyVaultFaultTest {

    @AfterEach
    void clearFaults() {
        CmkOrder.clearFaults();
    }

    /** An order on {@code vault}'s key, with a new version to change to. */
    private record Setup(CustomerKeyVault vault, CmkOrder order, String newVersion) {}

    private static Setup setup() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        return new Setup(vault, order, vault.newVersion());
    }

    private static void assertChangeSucceeds(Setup s) {
        s.order().changeKey(s.newVersion(), s.vault().resourceId()).then().statusCode(200);
        assertThat(s.order().get().<String>path("keyEncryptionKey.kekUrl")).isEqualTo(s.newVersion());
        assertThat(s.order().storedWrappedKeyId()).isEqualTo(s.newVersion());
        s.order().assertPasswordKept();
    }

    @Test
    void throttlingWithRetryAfterOnEveryStepIsSurvived() {
        Setup s = setup();
        RequestCounts before = admin().requests(s.vault().name());
        for (String operation : new String[] {"get", "wrapKey", "unwrapKey"}) {
            admin().injectFault(s.vault().name(), operation, 429, 1, 1, 0);
        }

        assertChangeSucceeds(s);
        RequestCounts after = admin().requests(s.vault().name());
        // get, wrapKey and the unwrap with the old key each throttled once and retried.
        assertThat(after.of("get") - before.of("get")).as("get calls").isGreaterThanOrEqualTo(2);
        assertThat(after.of("wrapKey") - before.of("wrapKey"))
                .as("wrapKey calls")
                .isGreaterThanOrEqualTo(2);
        assertThat(after.of("unwrapKey") - before.of("unwrapKey"))
                .as("unwrapKey calls")
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void anOutageOfTheUnwrapWithTheCurrentKeyAnswers503AndChangesNothing() {
        assertOutageRefused("unwrapKey");
    }

    @Test
    void anOutageOfTheNewKeysGetAnswers503AndChangesNothing() {
        assertOutageRefused("get");
    }

    @Test
    void anOutageOfTheWrapWithTheNewKeyAnswers503AndChangesNothing() {
        assertOutageRefused("wrapKey");
    }

    private static void assertOutageRefused(String operation) {
        Setup s = setup();
        CmkOrder.Snapshot before = s.order().snapshot();
        long callsBefore = admin().requests(s.vault().name()).of(operation);
        admin().injectFault(s.vault().name(), operation, 503, 100, 1, 0);

        Response response = s.order().changeKey(s.newVersion(), s.vault().resourceId());
        assertError(response, 503, "KeyVaultUnavailable");
        assertThat(admin().requests(s.vault().name()).of(operation) - callsBefore)
                .as(operation + " calls: the first and the SDK's retries")
                .isGreaterThanOrEqualTo(2);
        CmkOrder.clearFaults();
        s.order().assertUnchangedSince(before);

        assertChangeSucceeds(s);
        // Last, so that a missing header does not hide the checks above (API.md: "Retry-After set").
        assertThat(response.header("Retry-After"))
                .as("Retry-After of the 503 for a failed " + operation)
                .matches("[1-9][0-9]*");
    }

    @Test
    void anOutageDuringValidateAnswers503AndKeepsTheKeyHealth() {
        // An outage is no finding about the key (ERRORS.md): validate must not record AccessLost for it,
        // for the current configuration nor answer 200 with a failed check for a proposed one.
        Setup s = setup();
        CmkOrder.Snapshot before = s.order().snapshot();
        assertThat(before.keyHealth()).containsEntry("status", "Healthy");
        admin().injectFault(s.vault().name(), "wrapKey", 503, 100, 1, 0);

        Response current = s.order().validate();
        assertError(current, 503, "KeyVaultUnavailable");
        assertThat(current.header("Retry-After")).matches("[1-9][0-9]*");
        assertError(
                s.order()
                        .validate(CmkOrder.enableBody(
                                s.newVersion(),
                                s.vault().resourceId(),
                                CmkOrder.userAssigned(s.vault().identity().resourceId()))),
                503,
                "KeyVaultUnavailable");
        CmkOrder.clearFaults();
        s.order().assertUnchangedSince(before);

        s.order().validate().then().statusCode(200).body("valid", is(true));
    }

    @Test
    void callsSlowerThanTheClientTimeoutOnEveryRetryAnswerAnErrorAndChangeNothing() {
        Setup s = setup();
        CmkOrder.Snapshot before = s.order().snapshot();
        long slow = LocalStack.KEYVAULT_TIMEOUT.toMillis() + 1500;
        // The first call and all 3 retries of the new key's Get are slower than the timeout.
        admin().injectFault(s.vault().name(), "get", 0, 4, 0, slow);

        Instant start = Instant.now();
        Response response = s.order().changeKey(s.newVersion(), s.vault().resourceId());
        Duration took = Duration.between(start, Instant.now());
        assertError(response, 503, "KeyVaultUnavailable");
        assertThat(took)
                .as("the client gave up at its timeout, not when the vault answered")
                .isLessThan(Duration.ofMillis(4 * slow));
        CmkOrder.clearFaults();
        s.order().assertUnchangedSince(before);

        assertChangeSucceeds(s);
    }

    @Test
    void oneCallSlowerThanTheClientTimeoutIsRetriedAndTheChangeSucceeds() {
        Setup s = setup();
        long wrapsBefore = admin().requests(s.vault().name()).of("wrapKey");
        admin().injectFault(s.vault().name(), "wrapKey", 0, 1, 0, LocalStack.KEYVAULT_TIMEOUT.toMillis() + 1500);

        assertChangeSucceeds(s);
        assertThat(admin().requests(s.vault().name()).of("wrapKey") - wrapsBefore)
                .as("wrapKey calls")
                .isGreaterThanOrEqualTo(2);
    }
}
