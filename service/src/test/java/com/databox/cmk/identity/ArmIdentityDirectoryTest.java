package com.databox.cmk.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.databox.cmk.app.CmkDefaults;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.KeyVaultEmulator;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.SystemAssignedIdentity;
import com.databox.cmk.order.UserAssignedIdentity;
import com.databox.cmk.sdkhttp.SdkHttpClients;
import com.databox.cmk.testing.LoggedRecords;
import com.databox.cmk.testing.SilentServer;
import com.databox.cmk.testing.StubResponse;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The production identity directory against the emulator's Azure Resource Manager. */
class ArmIdentityDirectoryTest {
    private static final TokenCredential APP = new ManagedIdentityCredentialBuilder().build();

    private final KeyVaultEmulator emulator = EmulatorTestSupport.shared();
    private final ArmSettings settings = new ArmSettings(
            URI.create(emulator.armUrl()),
            emulator.subscriptionId(),
            emulator.resourceGroup(),
            emulator.location(),
            emulator.functionAppResourceId(),
            1,
            Duration.ofMillis(50),
            CmkDefaults.maxWaitingRequests(),
            Duration.ofSeconds(30));
    private final RecordingHttpClient http = new RecordingHttpClient(EmulatorTestSupport.sdkHttpClient());
    private final ArmIdentityDirectory directory = new ArmIdentityDirectory(settings, APP, http);

    @Test
    void aCustomersIdentityAttachedToAnOrderIsAssignedToTheFunctionApp() {
        var customers =
                EmulatorTestSupport.admin().createIdentity("uai-" + UUID.randomUUID(), emulator.defaultTenantId());
        UserAssignedIdentity found = directory
                .findUserAssigned(new UserAssignedIdentityId(customers.resourceId()))
                .orElseThrow();
        assertThat(assignedToFunctionApp()).noneMatch(id -> id.equalsIgnoreCase(customers.resourceId()));

        directory.makeUsable(found);
        directory.makeUsable(found);

        assertThat(assignedToFunctionApp())
                .filteredOn(id -> id.equalsIgnoreCase(customers.resourceId()))
                .hasSize(1);
    }

    @Test
    void createMakesAnIdentityAssignedToTheFunctionApp() {
        SystemAssignedIdentity created = directory.createSystemAssigned(new OrderName("order-arm-1"));

        assertThat(created.resourceId().value())
                .matches("(?i).*/userAssignedIdentities/databox-order-arm-1-[0-9a-f]{32}");
        assertThat(created.principalId()).isNotBlank();
        assertThat(created.tenantId()).isEqualTo(emulator.defaultTenantId());
        assertThat(assignedToFunctionApp())
                .anyMatch(id -> id.equalsIgnoreCase(created.resourceId().value()));
        assertThat(directory.findUserAssigned(created.resourceId()))
                .get()
                .extracting(UserAssignedIdentity::principalId)
                .isEqualTo(created.principalId());
    }

    /**
     * ARM's tag names are case-insensitive (a policy or a client may write the service's order tag in another case):
     * an identity tagged so is still the service's own, which no order may attach as a user-assigned one (issue 12).
     */
    @Test
    void anIdentityWithTheOrderTagInAnotherCaseIsStillTheServicesOwn() {
        String resourceId =
                directory.newSystemAssignedId(new OrderName("order-arm-tag")).value();
        ArmClient arm = new ArmClient(settings, APP, http, java.util.Optional::empty);
        com.fasterxml.jackson.databind.node.ObjectNode body =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                        .objectNode()
                        .put("location", emulator.location());
        body.putObject("tags").put(ArmIdentityDirectory.ORDER_TAG.toUpperCase(java.util.Locale.ROOT), "order-arm-tag");
        arm.send(HttpMethod.PUT, resourceId, ArmIdentityDirectory.IDENTITY_API, body, Set.of(200, 201));

        assertThat(directory.findUserAssigned(new UserAssignedIdentityId(resourceId)))
                .get()
                .extracting(UserAssignedIdentity::serviceCreated)
                .isEqualTo(true);
    }

    @Test
    void deleteUnassignsAndDeletesSoThatFindAnswersEmpty() {
        SystemAssignedIdentity created = directory.createSystemAssigned(new OrderName("order-arm-2"));

        directory.deleteSystemAssigned(created);

        assertThat(assignedToFunctionApp())
                .noneMatch(id -> id.equalsIgnoreCase(created.resourceId().value()));
        assertThat(directory.findUserAssigned(created.resourceId())).isEmpty();
        directory.deleteSystemAssigned(created); // already gone: fine
    }

    /**
     * ARM's resource names match in any case: an identity named in another case is the same identity, not a deleted
     * one. It keeps the spelling it was asked by, which the order stores and answers.
     */
    @Test
    void findsAUserAssignedIdentityNamedInAnotherCase() {
        String name = "uai-case-" + UUID.randomUUID().toString().substring(0, 8);
        IdentityInfo uai = emulator.createIdentity(name, null);
        String upperName = uai.resourceId().substring(0, uai.resourceId().lastIndexOf('/') + 1)
                + name.toUpperCase(java.util.Locale.ROOT);

        UserAssignedIdentity found = directory
                .findUserAssigned(new UserAssignedIdentityId(upperName))
                .orElseThrow();

        assertThat(found.principalId()).isEqualTo(uai.principalId());
        assertThat(found.resourceId().value()).isEqualTo(upperName);
    }

    @Test
    void findsAUserAssignedIdentityAndNotADeletedOne() {
        String name = "uai-arm-" + UUID.randomUUID().toString().substring(0, 8);
        IdentityInfo uai = emulator.createIdentity(name, null);

        assertThat(directory.findUserAssigned(new UserAssignedIdentityId(uai.resourceId())))
                .contains(new UserAssignedIdentity(
                        new UserAssignedIdentityId(uai.resourceId()),
                        uai.principalId(),
                        uai.clientId(),
                        uai.tenantId()));
        EmulatorTestSupport.admin().deleteIdentity(name);
        assertThat(directory.findUserAssigned(new UserAssignedIdentityId(uai.resourceId())))
                .isEmpty();
    }

    @Test
    void aTokenArmRefusesIsAClearFailure() {
        TokenCredential vaultToken =
                request -> APP.getToken(new TokenRequestContext().addScopes("https://vault.azure.net/.default"));
        ArmIdentityDirectory wrongAudience = new ArmIdentityDirectory(settings, vaultToken, http);

        assertThatThrownBy(() -> wrongAudience.createSystemAssigned(new OrderName("order-arm-3")))
                .isInstanceOf(ArmException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("InvalidAuthenticationToken")
                .hasMessageContaining("audience");
    }

    /**
     * ARM refusing the service the identity itself (its subscription in another tenant than the service's
     * token, 401; the service's read taken away, 403) is the customer's to fix: a clear 403, never a 500,
     * nor the identity's absence (which the audit would record as lost key access).
     */
    @Test
    void anIdentityArmRefusesTheServiceToReadIsLinkedAuthorizationFailed() {
        String identity = "/subscriptions/" + emulator.subscriptionId() + "/resourceGroups/" + emulator.resourceGroup()
                + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1";
        for (var refusal : java.util.List.of(
                java.util.Map.entry(403, "AuthorizationFailed"),
                java.util.Map.entry(401, "InvalidAuthenticationTokenTenant"))) {
            HttpClient refusing = request -> Mono.just(new StubResponse(
                    request,
                    refusal.getKey(),
                    new HttpHeaders(),
                    "{\"error\":{\"code\":\"" + refusal.getValue() + "\",\"message\":\"no\"}}"));
            ArmIdentityDirectory refused = new ArmIdentityDirectory(settings, APP, refusing);

            assertThatThrownBy(() -> refused.findUserAssigned(new UserAssignedIdentityId(identity)))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.LinkedAuthorizationFailed);
                        assertThat(e.getMessage()).contains("HTTP " + refusal.getKey());
                        assertThat(e.resolution()).contains("read access");
                    });
        }
    }

    /** ARM refusing the service's own token (the wrong audience, here) is the service's fault: no customer code. */
    @Test
    void anIdentityReadRefusedForTheServicesOwnTokenIsNoCustomerError() {
        TokenCredential vaultToken =
                request -> APP.getToken(new TokenRequestContext().addScopes("https://vault.azure.net/.default"));
        ArmIdentityDirectory wrongAudience = new ArmIdentityDirectory(settings, vaultToken, http);
        String identity = "/subscriptions/" + emulator.subscriptionId() + "/resourceGroups/" + emulator.resourceGroup()
                + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1";

        assertThatThrownBy(() -> wrongAudience.findUserAssigned(new UserAssignedIdentityId(identity)))
                .isInstanceOf(ArmException.class)
                .hasMessageContaining("InvalidAuthenticationToken");
    }

    /** The app's own token for ARM comes from the same token service: its outage is ARM's to retry, not a 500. */
    @Test
    void aTokenServiceOutageForTheAppsArmTokenIsAnOutageToRetry() {
        TokenCredential tokenServiceDown = request -> reactor.core.publisher.Mono.error(
                new TokenServiceUnavailable(503, new RuntimeException("Managed Identity authentication failed")));
        ArmIdentityDirectory noToken = new ArmIdentityDirectory(settings, tokenServiceDown, http);

        assertThatThrownBy(() -> noToken.createSystemAssigned(new OrderName("order-arm-no-token")))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ResourceManagerUnavailable);
                    assertThat(e.retryAfter()).isPositive();
                });
    }

    /**
     * bug bash ob1 F2: outside a request (the audit's lookups), an outage wrote one WARN a call, one an identity, one an
     * order for system-assigned ones, every run; now the first, then one a minute. A request's calls each keep theirs.
     */
    @Test
    void outsideARequestArmsOutageIsLoggedOnceAMinuteWithinOneEveryTime() {
        HttpClient down = request -> Mono.just(new StubResponse(request, 503, new HttpHeaders(), "{}"));
        TokenCredential token = request -> Mono.just(new com.azure.core.credential.AccessToken(
                "t", java.time.OffsetDateTime.now().plusHours(1)));
        ArmSettings noRetries = endpointAt(1, 0, CmkDefaults.maxWaitingRequests());
        ArmClient audit = new ArmClient(noRetries, token, down, Optional::empty);
        ArmClient request = new ArmClient(
                noRetries, token, down, () -> Optional.of(Instant.now().plusSeconds(30)));
        String identities = "/subscriptions/" + emulator.subscriptionId() + "/resourceGroups/"
                + emulator.resourceGroup() + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/";

        List<String> warnings;
        try (LoggedRecords logged = LoggedRecords.capture(r -> r.getLoggerName().equals(ArmClient.class.getName())
                && r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())) {
            for (int i = 0; i < 5; i++) {
                String id = identities + "uai-audit-" + i;
                assertThatThrownBy(() ->
                                audit.send(HttpMethod.GET, id, ArmIdentityDirectory.IDENTITY_API, null, Set.of(200)))
                        .isInstanceOfSatisfying(
                                ServiceException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.ResourceManagerUnavailable));
            }
            for (int i = 0; i < 3; i++) {
                String id = identities + "uai-request-" + i;
                assertThatThrownBy(() ->
                                request.send(HttpMethod.GET, id, ArmIdentityDirectory.IDENTITY_API, null, Set.of(200)))
                        .isInstanceOf(ServiceException.class);
            }
            warnings = logged.records().stream()
                    .map(r -> ((ExtLogRecord) r).getFormattedMessage())
                    .toList();
        }

        assertThat(warnings.stream().filter(l -> l.contains("uai-audit-")))
                .containsExactly(
                        "Azure Resource Manager unavailable: GET " + identities + "uai-audit-0 answered HTTP 503");
        assertThat(warnings.stream().filter(l -> l.contains("uai-request-"))).hasSize(3);
    }

    @Test
    void anArmThatDoesNotAnswerIsAnOutageToRetry() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        ArmSettings nowhere = endpointAt(closed, 1, CmkDefaults.maxWaitingRequests());
        ArmIdentityDirectory down = new ArmIdentityDirectory(nowhere, APP, http);
        String identity = "/subscriptions/" + emulator.subscriptionId() + "/resourceGroups/" + emulator.resourceGroup()
                + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1";

        assertThatThrownBy(() -> down.findUserAssigned(new UserAssignedIdentityId(identity)))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ResourceManagerUnavailable);
                    assertThat(e.retryAfter()).isPositive();
                    assertThat(e.getMessage()).doesNotContain(identity);
                });
    }

    /**
     * An ARM that stops answering is given up at the request's deadline, retries and their waits included, as Key
     * Vault is (the reliability bug bash of 2026-12-05, F4: four attempts of 10 s kept validate 45 s); a deadline
     * already passed sends nothing.
     */
    @Test
    void anArmThatDoesNotAnswerIsGivenUpAtTheRequestsDeadline() throws Exception {
        try (SilentServer silent = SilentServer.start()) {
            ArmSettings stalled = endpointAt(silent.port(), 3, CmkDefaults.maxWaitingRequests());
            Vertx vertx = Vertx.vertx();
            String identity = "/subscriptions/" + emulator.subscriptionId() + "/resourceGroups/"
                    + emulator.resourceGroup() + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1";
            try {
                HttpClient slow = SdkHttpClients.create(vertx, Optional.empty(), Duration.ofSeconds(10));
                Instant start = Instant.now();
                ArmIdentityDirectory withDeadline =
                        new ArmIdentityDirectory(stalled, APP, slow, () -> Optional.of(start.plusMillis(1500)));

                Throwable late =
                        catchThrowable(() -> withDeadline.findUserAssigned(new UserAssignedIdentityId(identity)));

                assertThat(late).isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ResourceManagerUnavailable);
                    assertThat(e.retryAfter()).isPositive();
                    assertThat(e.getMessage()).contains("30 s").doesNotContain(identity);
                });
                assertThat(Duration.between(start, Instant.now()))
                        .isBetween(Duration.ofMillis(1400), Duration.ofSeconds(4));

                int connections = silent.connections();
                ArmIdentityDirectory passed = new ArmIdentityDirectory(
                        stalled, APP, slow, () -> Optional.of(Instant.now().minusMillis(1)));
                assertThat(catchThrowable(() -> passed.findUserAssigned(new UserAssignedIdentityId(identity))))
                        .isInstanceOfSatisfying(
                                ServiceException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.ResourceManagerUnavailable));
                assertThat(silent.connections()).as("nothing sent").isEqualTo(connections);
            } finally {
                vertx.close();
            }
        }
    }

    /**
     * An ARM that stops answering holds each request that calls it until its calls time out; the requests
     * waiting on it at once are bounded, so that they cannot take every worker thread from the other routes.
     */
    @Test
    void aRequestBeyondThoseWaitingOnArmIsRefusedAtOnceAndTheCallNotMade() throws Exception {
        try (SilentServer silent = SilentServer.start()) {
            ArmSettings stalled = endpointAt(silent.port(), 0, 1);
            Vertx vertx = Vertx.vertx();
            ArmIdentityDirectory waitingOn = new ArmIdentityDirectory(
                    stalled, APP, SdkHttpClients.create(vertx, Optional.empty(), Duration.ofSeconds(3)));
            String identity = "/subscriptions/" + emulator.subscriptionId() + "/resourceGroups/"
                    + emulator.resourceGroup() + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1";
            ExecutorService worker = Executors.newSingleThreadExecutor();
            try {
                Future<Throwable> waiting = worker.submit(
                        () -> catchThrowable(() -> waitingOn.findUserAssigned(new UserAssignedIdentityId(identity))));
                silent.awaitConnections(1);
                int connections = silent.connections();

                Instant start = Instant.now();
                Throwable refused =
                        catchThrowable(() -> waitingOn.findUserAssigned(new UserAssignedIdentityId(identity)));

                assertThat(refused).isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ResourceManagerUnavailable);
                    assertThat(e.retryAfter()).isPositive();
                });
                assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMillis(500));
                assertThat(silent.connections())
                        .as("the refused call was not made")
                        .isEqualTo(connections);
                // A request's lookup made on a thread of its own (beside its vault calls) is counted too.
                List<Throwable> beside = new CopyOnWriteArrayList<>();
                Thread.ofVirtual()
                        .start(() -> beside.add(
                                catchThrowable(() -> waitingOn.findUserAssigned(new UserAssignedIdentityId(identity)))))
                        .join(Duration.ofSeconds(2));
                assertThat(beside)
                        .singleElement()
                        .isInstanceOfSatisfying(
                                ServiceException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.ResourceManagerUnavailable));
                assertThat(silent.connections()).isEqualTo(connections);
                assertThat(waiting.get(20, TimeUnit.SECONDS))
                        .as("the waiting request, once its call timed out")
                        .isInstanceOfSatisfying(
                                ServiceException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.ResourceManagerUnavailable));
            } finally {
                worker.shutdownNow();
                vertx.close();
            }
        }
    }

    @Test
    void anArmAnswering503IsAnOutageToRetry() {
        HttpClient unavailable = new HttpClient() {
            @Override
            public Mono<HttpResponse> send(HttpRequest request) {
                return Mono.just(serviceUnavailable(request));
            }
        };
        ArmIdentityDirectory throttled = new ArmIdentityDirectory(settings, APP, unavailable);

        assertThatThrownBy(() -> throttled.createSystemAssigned(new OrderName("order-arm-503")))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ResourceManagerUnavailable));
    }

    /** What ARM answers when it is down for a moment: 503 with its error body. */
    private static HttpResponse serviceUnavailable(HttpRequest request) {
        return new StubResponse(
                request,
                503,
                new HttpHeaders(),
                "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"try later\"}}");
    }

    @Test
    void callsNoHostButTheConfiguredEndpoint() {
        String elsewhere = "https://evil.example/subscriptions/" + emulator.subscriptionId() + "/resourceGroups/"
                + emulator.resourceGroup() + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1";
        String traversal = "/subscriptions/" + emulator.subscriptionId() + "/resourceGroups/.."
                + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1";
        String authority = "@evil.example/subscriptions/" + emulator.subscriptionId() + "/resourceGroups/rg"
                + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1";

        // The directory is asked for a UserAssignedIdentityId only, which none of these is.
        assertThat(java.util.List.of(elsewhere, traversal, authority, traversal.replace("/..", "/rg") + "?x="))
                .noneMatch(UserAssignedIdentityId::isWellFormed);
        directory.deleteSystemAssigned(directory.createSystemAssigned(new OrderName("order-arm-4")));

        URI arm = URI.create(emulator.armUrl());
        assertThat(http.urls()).isNotEmpty().allSatisfy(url -> {
            assertThat(url.getHost()).isEqualTo(arm.getHost());
            assertThat(url.getPort()).isEqualTo(arm.getPort());
        });
    }

    @Test
    void thePipelineRefusesAnyOtherHostBeforeAToken() {
        // Appended to the endpoint, this makes "https://127.0.0.1:{port}@127.0.0.2:1/x": host 127.0.0.2.
        ArmClient arm = new ArmClient(
                settings,
                request -> {
                    throw new AssertionError("no token may be asked for another host");
                },
                http,
                Optional::empty);

        // Since resource IDs are percent-encoded (ArmClient.urlPath), '@' and ':' no longer change the host: the
        // URL is no valid one and nothing is sent. The pipeline's own host check stays behind that.
        assertThatThrownBy(() -> arm.send(
                        HttpMethod.GET, "@127.0.0.2:1/x", ArmIdentityDirectory.IDENTITY_API, null, Set.of(200)))
                .satisfiesAnyOf(
                        e -> assertThat(e).hasMessageContaining("only the configured Azure Resource Manager endpoint"),
                        e -> assertThat(e).hasMessageContaining("must be a valid URL"));
        assertThat(http.urls()).isEmpty();
    }

    /** The test's settings with the endpoint on {@code port} of this machine. */
    private ArmSettings endpointAt(int port, int maxRetries, int maxWaitingRequests) {
        return new ArmSettings(
                URI.create("https://127.0.0.1:" + port),
                settings.subscriptionId(),
                settings.resourceGroup(),
                settings.location(),
                settings.functionAppResourceId(),
                maxRetries,
                Duration.ofMillis(50),
                maxWaitingRequests,
                Duration.ofSeconds(30));
    }

    private Set<String> assignedToFunctionApp() {
        JsonNode site = new ArmClient(settings, APP, http, Optional::empty)
                .send(
                        HttpMethod.GET,
                        emulator.functionAppResourceId(),
                        ArmIdentityDirectory.SITES_API,
                        null,
                        Set.of(200))
                .body();
        java.util.Set<String> ids = new java.util.TreeSet<>();
        site.path("identity").path("userAssignedIdentities").fieldNames().forEachRemaining(ids::add);
        return ids;
    }
}
