package com.databox.cmk.identity;

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
        if (!ArmResourceIds.isFunctionApp(functionAppResourceId)) {
            throw new IllegalArgumentException("Not a function app resource ID: " + functionAppResourceId);
        }
        if (!ArmResourceIds.isSegment(subscriptionId) || !ArmResourceIds.isSegment(resourceGroup)) {
            throw new IllegalArgumentException("Invalid subscription ID or resource group name");
        }
    }
}
