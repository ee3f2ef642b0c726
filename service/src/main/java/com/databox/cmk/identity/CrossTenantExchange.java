package com.databox.cmk.identity;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.util.Context;
import com.azure.identity.ClientAssertionCredentialBuilder;
import com.databox.cmk.cache.BoundedCache;
import com.databox.cmk.error.Causes;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * Where and how a managed identity's token is exchanged for a multi-tenant application's token in
 * another tenant (Azure Storage's cross-tenant customer-managed keys; issue 12, item 8): Entra ID's
 * token endpoint on {@code authorityHost}, client credentials with a client assertion.
 * {@code knownAuthority} false (only the local emulator) skips Entra ID's instance discovery.
 *
 * <p>The exchange blocks, so it runs on workers of its own: at most {@link #MAX_RUNNING} at once and
 * {@link #MAX_WAITING} waiting; one more is refused at once as the token service's outage ({@link
 * TokenServiceUnavailable}: 503 with {@code Retry-After}). Each of its calls to Entra ID, the client's retries
 * included, is given up after {@code callLimit} (the request deadline, {@code cmk.keyvault.request-deadline}).
 * Before 2026-12-08 it ran on Reactor's shared {@code boundedElastic} workers, and a request's deadline left its
 * worker blocked in MSAL until Entra ID's client gave up (60 s per attempt, four attempts): an Entra ID that took
 * the connections and never answered held every such worker, and the exchanges after it (and anything else on
 * them) queued behind, past the recovery of Entra ID (bug bash sx4, 2).
 */
public final class CrossTenantExchange {
    /** The audience of the managed identity's token that a federated identity credential accepts. */
    public static final String EXCHANGE_SCOPE = "api://AzureADTokenExchange/.default";

    public static final String PUBLIC_AUTHORITY = "https://login.microsoftonline.com";

    /**
     * Exchanges running at once: tokens are shared per application and tenant for their hour
     * ({@link SharedTokens}), so exchanges are rare, and each takes one Entra ID call when it answers.
     */
    static final int MAX_RUNNING = 8;

    /** Exchanges waiting for a worker; past this the token service is taken for down. */
    static final int MAX_WAITING = 16;

    /** How long a call to Entra ID may take, its retries included, when none is given (the request deadline's). */
    static final Duration DEFAULT_CALL_LIMIT = Duration.ofSeconds(30);

    private static final int MAX_TENANTS_PER_APPLICATION = 16;
    private static final Pattern TENANT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", Pattern.CASE_INSENSITIVE);

    private final String authorityHost;
    private final boolean knownAuthority;
    private final HttpClient httpClient;
    private final Duration callLimit;
    private final ThreadPoolExecutor workers;

    public CrossTenantExchange(String authorityHost, boolean knownAuthority, HttpClient httpClient) {
        this(authorityHost, knownAuthority, httpClient, DEFAULT_CALL_LIMIT);
    }

    /** {@code callLimit}: no call to Entra ID outlives a request (the request deadline). */
    public CrossTenantExchange(
            String authorityHost, boolean knownAuthority, HttpClient httpClient, Duration callLimit) {
        this.authorityHost = authorityHost;
        this.knownAuthority = knownAuthority;
        this.httpClient = httpClient;
        this.callLimit = callLimit;
        this.workers = workers();
    }

    private static ThreadPoolExecutor workers() {
        AtomicInteger made = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(
                MAX_RUNNING, MAX_RUNNING, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(MAX_WAITING), task -> {
                    Thread thread = new Thread(task, "cross-tenant-exchange-" + made.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        workers.allowCoreThreadTimeOut(true);
        return workers;
    }

    /** The credential of application {@code clientId}, asserted by {@code assertedBy}'s exchange token. */
    TokenCredential credential(TokenCredential assertedBy, String clientId) {
        return new ApplicationCredential(assertedBy, clientId);
    }

    /**
     * The tenant comes from the request: the Key Vault client names the vault's tenant, as the vault's
     * 401 challenge gave it ({@code authorization="https://login.microsoftonline.com/{tenant}"}). One
     * client-assertion credential per tenant, so that each caches its own tokens.
     */
    private final class ApplicationCredential implements TokenCredential {
        private final TokenCredential assertedBy;
        private final String clientId;
        /**
         * The tenants of the vaults this application's keys were asked in: a few; bounded all the same, as the
         * tenant is the one a vault's challenge names, and the order's key URL is the caller's to choose.
         */
        private final BoundedCache<String, TokenCredential> perTenant =
                new BoundedCache<>(MAX_TENANTS_PER_APPLICATION, Duration.ofHours(1));

        ApplicationCredential(TokenCredential assertedBy, String clientId) {
            this.assertedBy = assertedBy;
            this.clientId = clientId;
        }

        /**
         * The exchange blocks (the assertion is the identity's token, asked synchronously), and the
         * Key Vault clients ask for tokens on Vert.x's event loop, which also carries the identity
         * endpoint's answer: the blocking part runs on a worker, never on the event loop. A caller that
         * gives up leaves a running exchange to end within {@code callLimit}, holding its place (the worker and
         * MSAL's thread are both busy until then), and one still waiting is not run.
         */
        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.defer(() -> {
                try {
                    return Mono.fromFuture(CompletableFuture.supplyAsync(() -> getTokenSync(request), workers));
                } catch (RejectedExecutionException busy) {
                    return Mono.error(new TokenServiceUnavailable(
                            0,
                            new RejectedExecutionException(MAX_RUNNING + " exchanges of tokens are running and "
                                    + MAX_WAITING + " waiting: Entra ID is slow to answer, or does not")));
                }
            });
        }

        @Override
        public AccessToken getTokenSync(TokenRequestContext request) {
            String tenant = request.getTenantId();
            if (tenant == null || !TENANT.matcher(tenant).matches()) {
                throw new CrossTenantTokenRefused(
                        "The key vault named no tenant to ask a token of the application " + clientId + " in.",
                        null,
                        null);
            }
            // The identity's own failure (deleted, not the app's) surfaces as it is, before any exchange.
            assertion();
            TokenCredential exchange = perTenant.get(tenant.toLowerCase(Locale.ROOT), this::exchangeIn);
            try {
                return exchange.getTokenSync(request);
            } catch (TokenServiceUnavailable outage) {
                throw outage; // Entra ID down or throttling: no refusal of the application, retry later
            } catch (RuntimeException refused) {
                // The order's identity's own token, asked again for the assertion: the service's fault, not the
                // application's refusal.
                Causes.find(refused, IdentityEndpointRefusedService.class).ifPresent(serviceRefused -> {
                    throw serviceRefused;
                });
                throw new CrossTenantTokenRefused(
                        "Entra ID in the tenant " + tenant + " issued no token to the application " + clientId
                                + " for a client assertion of the order's identity.",
                        tenant,
                        refused);
            }
        }

        private String assertion() {
            return assertedBy
                    .getTokenSync(new TokenRequestContext().addScopes(EXCHANGE_SCOPE))
                    .getToken();
        }

        /** Its token endpoint's answers watched, as the identity's own token service's are. */
        private TokenCredential exchangeIn(String tenant) {
            return TokenServiceWatch.watched(
                    watchedClient -> {
                        ClientAssertionCredentialBuilder builder =
                                new ClientAssertionCredentialBuilder().httpLogOptions(SdkHttpLogs.none());
                        if (!knownAuthority) {
                            builder.disableInstanceDiscovery();
                        }
                        return builder.tenantId(tenant)
                                .clientId(clientId)
                                .clientAssertion(this::assertion)
                                .authorityHost(authorityHost)
                                .httpClient(watchedClient)
                                .addPolicy(new Within(callLimit))
                                .retryPolicy(new RetryPolicy(new RetriedWithin()))
                                .build();
                    },
                    new Bounded(httpClient, callLimit));
        }
    }

    /** Where a call to Entra ID's token endpoint sets when its attempts are given up ({@link Bounded}). */
    private static final String DEADLINE = CrossTenantExchange.class.getName() + ".deadline";

    /**
     * Sets the deadline of a call, its retries and their waits included, {@code limit} from its start: the
     * client's response timeout bounds one attempt only, and a timeout is retried three times. MSAL calls
     * synchronously, where no operator can cut a call from above: {@link Bounded} gives each attempt up at it.
     */
    private record Within(Duration limit) implements HttpPipelinePolicy {
        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            context.setData(DEADLINE, deadline(limit));
            return next.process();
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            context.setData(DEADLINE, deadline(limit));
            return next.processSync();
        }

        @Override
        public HttpPipelinePosition getPipelinePosition() {
            return HttpPipelinePosition.PER_CALL;
        }

        private static long deadline(Duration limit) {
            return System.nanoTime() + limit.toNanos();
        }
    }

    /** A call of Entra ID's given up at its deadline: not retried, there is no time left for it. */
    private static final class NoAnswerWithin extends TimeoutException {
        NoAnswerWithin(Duration limit) {
            super("Entra ID gave no answer within " + limit + ".");
        }
    }

    /** azure-core's default retries, as azure-identity takes them, but for a call past its deadline. */
    private static final class RetriedWithin extends ExponentialBackoff {
        @Override
        public boolean shouldRetryCondition(RequestRetryCondition condition) {
            // Blocking (MSAL's calls) wraps it as Reactor wraps any checked exception.
            return !(Exceptions.unwrap(condition.getThrowable()) instanceof NoAnswerWithin)
                    && super.shouldRetryCondition(condition);
        }
    }

    /**
     * Entra ID's client, an attempt failing with no answer at its call's deadline ({@link Within}); one after it
     * fails at once. Beneath {@link TokenServiceWatch}, which so counts it as no answer: an outage.
     */
    private record Bounded(HttpClient next, Duration limit) implements HttpClient {
        @Override
        public Mono<HttpResponse> send(HttpRequest request) {
            return send(request, Context.NONE);
        }

        @Override
        public Mono<HttpResponse> send(HttpRequest request, Context context) {
            return Mono.defer(() -> {
                Duration left = context.getData(DEADLINE)
                        .map(deadline -> Duration.ofNanos((long) deadline - System.nanoTime()))
                        .orElse(limit);
                Mono<HttpResponse> noAnswer = Mono.error(() -> new NoAnswerWithin(limit));
                return left.isNegative() || left.isZero()
                        ? noAnswer
                        : next.send(request, context).timeout(left, noAnswer);
            });
        }

        @Override
        public HttpResponse sendSync(HttpRequest request, Context context) {
            return send(request, context).block();
        }
    }
}
