package com.databox.cmk.identity;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Set;

/** JSON calls to Azure Resource Manager with the app's own identity, on the configured endpoint only. */
final class ArmClient {
    static final String SCOPE = "https://management.azure.com/.default";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, JsonNode body) {}

    private final String endpoint;
    private final HttpPipeline pipeline;

    ArmClient(ArmSettings settings, TokenCredential credential, HttpClient httpClient) {
        URI uri = settings.endpoint();
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
                method, endpoint + resourceId + "?api-version=" + apiVersion + (query == null ? "" : "&" + query));
        if (body != null) {
            request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
            request.setBody(bytes(body));
        }
        try (HttpResponse response = pipeline.sendSync(request, Context.NONE)) {
            int status = response.getStatusCode();
            JsonNode answer = parse(response.getBodyAsBinaryData().toBytes());
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
