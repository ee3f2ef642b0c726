package com.databox.cmk.identity;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.util.Context;
import com.databox.cmk.error.Causes;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.LineLimit;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.sdkhttp.SdkHttpClients;
import com.databox.cmk.sdkhttp.WaitingRequests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import reactor.core.publisher.Mono;

/** JSON calls to Azure Resource Manager with the app's own identity, on the configured endpoint only. */
final class ArmClient {
    static final String SCOPE = "https://management.azure.com/.default";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(ArmClient.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final String HEX_DIGITS = "0123456789ABCDEF";

    record Answer(int status, JsonNode body) {}

    /** An answer read to its end within the deadline. */
    private record Received(int status, byte[] body) {}

    private final String endpoint;
    private final HttpPipeline pipeline;
    private final WaitingRequests waiting;
    private final Duration deadline;
    private final Supplier<Optional<Instant>> requestDeadline;

    /** The outage lines of calls outside a request (the audit's, the sweep's): at most one a minute. */
    private final LineLimit outageLines = new LineLimit(OUTAGE_LINES_EVERY, Clock.systemUTC());

    static final Duration OUTAGE_LINES_EVERY = Duration.ofMinutes(1);

    /**
     * @param requestDeadline the deadline of the request being served on the calling thread, if any: its Resource
     *     Manager calls share the one its Key Vault calls have; a call outside a request (the audit's, a lookup on
     *     a thread of its own) has {@link ArmSettings#requestDeadline()} from its start
     */
    ArmClient(
            ArmSettings settings,
            TokenCredential credential,
            HttpClient httpClient,
            Supplier<Optional<Instant>> requestDeadline) {
        URI uri = settings.endpoint();
        this.deadline = settings.requestDeadline();
        this.requestDeadline = requestDeadline;
        // Every thread's: a request looks identities up on a virtual thread of its own while it waits for them.
        this.waiting = WaitingRequests.ofAllThreads(settings.maxWaitingRequests());
        this.endpoint = uri.toString().replaceAll("/+$", "");
        this.pipeline = new HttpPipelineBuilder()
                .httpClient(httpClient)
                .policies(
                        new ArmEndpointOnlyPolicy(uri),
                        new RetryPolicy(new ExponentialBackoff(new ExponentialBackoffOptions()
                                .setMaxRetries(settings.maxRetries())
                                .setBaseDelay(settings.retryDelay()))),
                        new BearerTokenAuthenticationPolicy(credential, SCOPE))
                .build();
    }

    /**
     * Sends one call; an answer outside {@code accepted} is an {@link ArmException} naming ARM's
     * error code and message.
     */
    Answer send(HttpMethod method, String resourceId, String apiVersion, JsonNode body, Set<Integer> accepted) {
        return send(method, resourceId, apiVersion, null, body, accepted);
    }

    /** @param query more of the query after the api-version, already encoded (null for none) */
    Answer send(
            HttpMethod method,
            String resourceId,
            String apiVersion,
            String query,
            JsonNode body,
            Set<Integer> accepted) {
        HttpRequest request = new HttpRequest(
                method,
                endpoint + urlPath(resourceId) + "?api-version=" + apiVersion + (query == null ? "" : "&" + query));
        if (body != null) {
            request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
            request.setBody(bytes(body));
        }
        return waiting.call(
                () -> answer(method, resourceId, request, accepted), () -> tooManyWaiting(method, resourceId));
    }

    private Answer answer(HttpMethod method, String resourceId, HttpRequest request, Set<Integer> accepted) {
        Received response = sendOrUnavailable(request, resourceId);
        int status = response.status();
        JsonNode answer = parse(response.body());
        if (!accepted.contains(status) && (status >= 500 || status == 408 || status == 429)) {
            throw unavailable(method + " " + resourceId + " answered HTTP " + status, null);
        }
        if (!accepted.contains(status)) {
            JsonNode error = answer.path("error");
            throw new ArmException(
                    status,
                    "Azure Resource Manager answered HTTP " + status + " to " + method + " "
                            + resourceId + ": " + error.path("code").asText("no error code") + ": "
                            + error.path("message").asText("no message"));
        }
        return new Answer(status, answer);
    }

    /**
     * The resource ID as a URL's path: every byte of its UTF-8 form outside RFC 3986's unreserved characters,
     * {@code /}, {@code (} and {@code )} percent-encoded. ARM's names may hold letters of any script (a resource
     * group's), which sent raw made no valid request line.
     */
    static String urlPath(String resourceId) {
        StringBuilder path = new StringBuilder(resourceId.length());
        for (byte b : resourceId.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~/()".indexOf(c) >= 0)) {
                path.append(c);
            } else {
                path.append('%').append(HEX_DIGITS.charAt((b >> 4) & 0xf)).append(HEX_DIGITS.charAt(b & 0xf));
            }
        }
        return path.toString();
    }

    /**
     * The answer, after the pipeline's retries; no answer at all (no connection, a timeout), or no token
     * for ARM because the token service is down, is an outage.
     */
    private Received sendOrUnavailable(HttpRequest request, String resourceId) {
        Instant by = requestDeadline.get().orElseGet(() -> Instant.now().plus(deadline));
        Duration left = Duration.between(Instant.now(), by);
        String call = request.getHttpMethod() + " " + resourceId;
        if (!left.isPositive()) {
            throw deadlinePassed(call + " not sent: the request's deadline had passed");
        }
        try {
            // Retries and their waits included: the whole call is given up at the deadline, as Key Vault's are. The
            // body read to its end needs no close (closing it then ends the request a second time: DrainingHttpClient).
            return pipeline.send(request, Context.NONE)
                    .flatMap(response -> response.getBodyAsByteArray()
                            .defaultIfEmpty(new byte[0])
                            .map(body -> new Received(response.getStatusCode(), body)))
                    .timeout(left, Mono.error(() -> new NoAnswerByDeadline(call)))
                    .block();
        } catch (RuntimeException e) {
            if (e instanceof NoAnswerByDeadline late) {
                // Logged here, on the caller's thread, which carries the request's IDs; the timeout's is Reactor's.
                throw deadlinePassed(late.getMessage() + " did not answer by the request's deadline");
            }
            Optional<IdentityEndpointRefusedService> serviceRefused =
                    Causes.find(e, IdentityEndpointRefusedService.class);
            if (serviceRefused.isPresent()) {
                // The service's own credentials, not an outage to retry nor the customer's identity (bug bash ob1 F1).
                throw new ServiceException(
                        ErrorCode.InternalError,
                        "The service could not get a Resource Manager token: the platform's managed-identity"
                                + " endpoint refused the service's own credentials (HTTP "
                                + serviceRefused.get().status() + "), which is the service's fault; the order was not"
                                + " changed.",
                        null,
                        null,
                        serviceRefused.get());
            }
            Optional<TokenServiceUnavailable> noToken = Causes.find(e, TokenServiceUnavailable.class);
            if (noToken.isPresent()) {
                throw unavailable(call + " got no token: " + noToken.get(), e);
            }
            if (SdkHttpClients.gotNoAnswer(e)) {
                throw unavailable(call + " got no answer: " + e, e);
            }
            throw e;
        }
    }

    /**
     * ARM throttling or down, after the pipeline's retries: 503 with {@code Retry-After} to the caller,
     * whose order was not changed; the detail (which resource) is logged, not answered.
     */
    private ServiceException unavailable(String detail, Throwable cause) {
        return outage(detail, "Azure Resource Manager is unavailable for a moment", cause);
    }

    /** {@code detail} (which resource) is logged; the caller is told {@code what}, and when to retry. */
    private ServiceException outage(String detail, String what, Throwable cause) {
        logOutage("Azure Resource Manager unavailable: " + detail);
        return new ServiceException(
                ErrorCode.ResourceManagerUnavailable,
                what + "; the order was not changed. Retry after " + RETRY_AFTER.toSeconds() + " s.",
                null,
                RETRY_AFTER,
                cause);
    }

    /**
     * Within a request, every time: its line names the request, as its answer's does. Outside one (the audit, the
     * sweep), at most one line a minute, saying how many were held back, each at DEBUG: the audit looks up every
     * identity of a shard, one an order for system-assigned ones, and an outage wrote one line each, every run
     * (bug bash ob1 F2). The audit's shard line counts its orders not audited.
     */
    private void logOutage(String line) {
        if (requestDeadline.get().isPresent()) {
            LOG.warn(line);
            return;
        }
        OptionalLong admitted = outageLines.admit();
        if (admitted.isPresent()) {
            LOG.warn(line + LineLimit.heldBackNote(admitted.getAsLong()));
        } else {
            LOG.debug(line);
        }
    }

    /** The call named, which did not answer by the deadline; thrown on Reactor's timer thread, logged on the caller's. */
    private static final class NoAnswerByDeadline extends RuntimeException {
        NoAnswerByDeadline(String call) {
            super(call, null, false, false);
        }
    }

    private ServiceException deadlinePassed(String detail) {
        return outage(
                detail,
                "Azure Resource Manager did not answer within the " + deadline.toSeconds()
                        + " s a request may spend on it",
                null);
    }

    private ServiceException tooManyWaiting(HttpMethod method, String resourceId) {
        return unavailable(
                method + " " + resourceId + " not sent: " + waiting.limit()
                        + " requests on this instance are waiting on Azure Resource Manager already",
                null);
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
