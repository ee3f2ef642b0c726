package com.databox.cmk.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Completes the app's OpenAPI document (at build time, so the stored document has it too):
 * every error answer of a route under {@code /api} carries the contract's error body
 * ({@link ErrorJson}), and the answers every route can give are declared on each, 503 for the
 * service's storage included. The route-specific ones (404, 409, 412, 413, 415, and 503 for Key Vault)
 * are declared on the resource methods. The document names no function key: since 2026-12-06 every
 * HTTP function is {@code authLevel: anonymous} to the Functions host (a Logic Apps custom connector
 * cannot send a key), and the bearer token is the only credential.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class OpenApiDocument implements OASFilter {
    static final String ERROR_SCHEMA = "ErrorJson";

    /** What any route under /api may answer, whatever it does. */
    private static final Map<String, String> EVERY_ROUTE = new LinkedHashMap<>();

    static {
        EVERY_ROUTE.put("400", "InvalidRequest: a path or query parameter, header or body is not valid.");
        EVERY_ROUTE.put("401", "Unauthorized: no valid Microsoft Entra ID bearer token for this service.");
        EVERY_ROUTE.put("403", "Forbidden: the token does not hold the app role this operation needs.");
        EVERY_ROUTE.put("406", "InvalidRequest: the route answers application/json only.");
        EVERY_ROUTE.put("500", "InternalError: the request failed inside the service; nothing secret is shown.");
    }

    /** Every route reads or writes the service's storage, so any may answer 503 for it. */
    static final String STORAGE_UNAVAILABLE = "StorageUnavailable: the service's storage is unavailable (or "
            + "ResourceManagerUnavailable, where the route makes or assigns an identity: Azure Resource Manager is; "
            + "or IdentityProviderUnavailable: Microsoft Entra ID did not give the signing keys to check the token); "
            + "Retry-After is set. Nothing changed, unless the message says that the change may have been made "
            + "(read it before making it again).";

    @Override
    public void filterOpenAPI(OpenAPI document) {
        if (document.getPaths() == null || document.getPaths().getPathItems() == null) {
            return;
        }
        document.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/")) {
                item.getOperations().values().forEach(OpenApiDocument::completeErrors);
            }
        });
    }

    private static void completeErrors(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        for (var common : EVERY_ROUTE.entrySet()) {
            APIResponse existing = responses.getAPIResponse(common.getKey());
            if (existing == null || existing.getContent() == null) {
                // Replaces Quarkus's own bodiless 400/401/403 with the contract's error.
                responses.addAPIResponse(
                        common.getKey(), OASFactory.createAPIResponse().description(common.getValue()));
            }
        }
        APIResponse unavailable = responses.getAPIResponse("503");
        if (unavailable == null) {
            responses.addAPIResponse(
                    "503",
                    OASFactory.createAPIResponse()
                            .description(STORAGE_UNAVAILABLE)
                            .addHeader(
                                    "Retry-After",
                                    OASFactory.createHeader()
                                            .description(ApiDoc.RETRY_AFTER)
                                            .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))));
        } else if (!unavailable.getDescription().contains(STORAGE_UNAVAILABLE)) {
            unavailable.setDescription(unavailable.getDescription() + " Or " + STORAGE_UNAVAILABLE);
        }
        for (var response : responses.getAPIResponses().entrySet()) {
            String status = response.getKey();
            if ((status.startsWith("4") || status.startsWith("5"))
                    && response.getValue().getContent() == null) {
                response.getValue()
                        .setContent(OASFactory.createContent()
                                .addMediaType(
                                        "application/json",
                                        OASFactory.createMediaType()
                                                .schema(OASFactory.createSchema()
                                                        .ref(ERROR_SCHEMA))));
            }
        }
    }
}
