package com.databox.cmk.identity;

import com.databox.cmk.order.Guids;
import java.net.URI;
import java.time.Duration;

/**
 * Where the service creates its orders' identities in Azure Resource Manager.
 *
 * @param endpoint the only ARM host the service ever calls ({@code https://management.azure.com})
 * @param functionAppResourceId the function app itself: every order identity is assigned to it,
 *     because the platform's managed-identity endpoint mints tokens only for identities assigned to the app
 * @param requestDeadline how long the Resource Manager calls of one request may take together, retries and their
 *     waits included (the request's Key Vault deadline: a request has one deadline); outside a request, each call
 *     has as long from its start
 */
public record ArmSettings(
        URI endpoint,
        String subscriptionId,
        String resourceGroup,
        String location,
        String functionAppResourceId,
        int maxRetries,
        Duration retryDelay,
        int maxWaitingRequests,
        Duration requestDeadline) {

    public ArmSettings {
        if (!"https".equalsIgnoreCase(endpoint.getScheme()) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("The ARM endpoint must be an https URL: " + endpoint);
        }
        requireSubscriptionId(subscriptionId);
        requireResourceGroup(resourceGroup);
        requireFunctionApp(functionAppResourceId);
    }

    /**
     * A GUID, as ARM's subscription IDs are: any other text passed here and failed only when an order's identity was
     * named, each {@code SystemAssigned} order then answering {@code 500} (bug bash bb95 L5).
     */
    public static void requireSubscriptionId(String subscriptionId) {
        if (!Guids.isGuidInAnyCase(subscriptionId)) {
            throw new IllegalArgumentException("must be a subscription ID (a GUID), not '" + subscriptionId + "'");
        }
    }

    public static void requireResourceGroup(String resourceGroup) {
        if (!ArmResourceIds.isSegment(resourceGroup)) {
            throw new IllegalArgumentException("must be a resource group's name (up to 90 ASCII letters, digits, '-',"
                    + " '_', '.', '(' or ')'), not '" + resourceGroup + "'");
        }
    }

    public static void requireFunctionApp(String functionAppResourceId) {
        if (!ArmResourceIds.isFunctionApp(functionAppResourceId)) {
            throw new IllegalArgumentException("must be a function app's resource ID, /subscriptions/{subscription"
                    + " ID}/resourceGroups/{group}/providers/Microsoft.Web/sites/{name}, not '"
                    + functionAppResourceId + "'");
        }
    }
}
