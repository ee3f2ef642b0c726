package com.databox.cmk.api;

import static com.databox.cmk.testing.CmkOrder.assertError;
import static com.databox.cmk.testing.CustomerKeyVault.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Parallel changes of one order, throttling and outages of Key Vault. */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class EncryptionConcurrencyTest {

    private static final int CALLS = 20;

    private record Answer(int status, String code, String body) {}

    private static List<Answer> inParallel(List<Callable<Response>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Answer>> futures = new ArrayList<>();
            for (Callable<Response> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    Response response = call.call();
                    return new Answer(response.statusCode(), response.path("error.code"), response.asString());
                }));
            }
            start.countDown();
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> future : futures) {
                answers.add(future.get(5, TimeUnit.MINUTES));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twentyParallelKeyChangesEndInOneConsistentConfiguration() throws Exception {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        String first = vault.newVersion();
        String second = vault.newKey("RSA", 3072);

        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            String target = i % 2 == 0 ? first : second;
            calls.add(() -> order.changeKey(target, vault.resourceId()));
        }
        List<Answer> answers = inParallel(calls);

        for (Answer answer : answers) {
            assertThat(answer.status()).as(answer.body()).isIn(200, 409, 412);
            if (answer.status() == 412) {
                assertThat(answer.code()).as(answer.body()).isEqualTo("PreconditionFailed");
            } else if (answer.status() == 409) {
                assertThat(answer.code()).as(answer.body()).isNotBlank();
            }
        }
        assertThat(answers).as("at least one change went through").anyMatch(a -> a.status() == 200);

        Response read = order.get();
        read.then().statusCode(200).body("keyEncryptionKey.kekType", equalTo("CustomerManaged"));
        String kekUrl = read.path("keyEncryptionKey.kekUrl");
        assertThat(kekUrl).isIn(first, second);
        assertThat(order.storedWrappedKeyId())
                .as("the stored key is wrapped by the configured key")
                .isEqualTo(kekUrl);
        order.assertPasswordKept();
        order.validate().then().statusCode(200).body("valid", equalTo(true));
    }

    @Test
    void ofParallelChangesWithTheSameIfMatchExactlyOneWins() throws Exception {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        String etag = order.get().path("etag");
        String first = vault.newVersion();
        String second = vault.newKey("RSA", 3072);

        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            String target = i % 2 == 0 ? first : second;
            calls.add(() -> order.changeKey(target, vault.resourceId(), etag));
        }
        List<Answer> answers = inParallel(calls);

        List<Answer> winners = answers.stream().filter(a -> a.status() == 200).toList();
        assertThat(winners).as(answers.toString()).hasSize(1);
        answers.stream()
                .filter(a -> a.status() != 200)
                .forEach(a -> assertThat(a.code()).as(a.body()).isEqualTo("PreconditionFailed"));
        String kekUrl = order.get().path("keyEncryptionKey.kekUrl");
        assertThat(winners.get(0).body()).contains(kekUrl);
        assertThat(order.storedWrappedKeyId()).isEqualTo(kekUrl);
        order.assertPasswordKept();
    }

    @Test
    void injectedThrottlingIsRetriedAndTheChangeSucceeds() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().attach(vault.identity());
        admin().injectFault(vault.name(), "wrapKey", 429, 2, 1, 0);
        try {
            order.enable(vault)
                    .then()
                    .statusCode(200)
                    .body("keyEncryptionKey.kekType", equalTo("CustomerManaged"))
                    .body("keyEncryptionKey.kekUrl", equalTo(vault.keyUrl()));
        } finally {
            CmkOrder.clearFaults();
        }
        assertThat(admin().requests(vault.name()).of("wrapKey"))
                .as("wrapKey calls: two throttled, then at least one through")
                .isGreaterThanOrEqualTo(3);
        assertThat(order.storedWrappedKeyId()).isEqualTo(vault.keyUrl());
        order.assertPasswordKept();
    }

    @Test
    void aLongOutageAnswers503WithRetryAfterAndChangesNothing() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableUserAssigned(vault);
        String newVersion = vault.newVersion();
        CmkOrder.Snapshot before = order.snapshot();

        Response response;
        admin().injectFault(vault.name(), null, 503, 50, 1, 0);
        try {
            response = order.changeKey(newVersion, vault.resourceId());
        } finally {
            CmkOrder.clearFaults();
        }
        assertError(response, 503, "KeyVaultUnavailable");
        assertThat(response.header("Retry-After")).as("Retry-After").isNotBlank();
        order.assertUnchangedSince(before);
    }
}
