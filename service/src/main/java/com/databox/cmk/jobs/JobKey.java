package com.databox.cmk.jobs;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where an ARM job lives: subscription, resource group and job name, as the path
 * {@code /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.DataBox/jobs/{name}} names it.
 * ARM names are case-insensitive, so {@link #equals} is not used for lookups: the store keys on
 * {@link #lowerCase()}.
 */
public record JobKey(String subscriptionId, String resourceGroup, String name) {
    /** The spec's jobNameParameter: 3 to 24 characters, {@code ^[-\w\.]+$} (ASCII word characters here). */
    private static final Pattern JOB_NAME = Pattern.compile("[-A-Za-z0-9_.]{3,24}");

    private static final Pattern SUBSCRIPTION =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /**
     * ARM's resource group names: 1 to 90 of letters, digits, underscores, hyphens, periods and parentheses, not
     * ending in a period; letters and digits of any script, as ARM takes them (the spec's {@code ^[-\w\._\(\)]+$}
     * is .NET's Unicode {@code \w}).
     */
    private static final Pattern RESOURCE_GROUP =
            Pattern.compile("[-\\w._()]{0,89}[-\\w_()]", Pattern.UNICODE_CHARACTER_CLASS);

    public JobKey {
        requireSubscription(subscriptionId);
        requireResourceGroup(resourceGroup);
        if (name == null || !JOB_NAME.matcher(name).matches()) {
            throw new JobException(
                    JobErrorCode.InvalidResourceName,
                    "The job name '" + shorten(name)
                            + "' is not valid: use 3 to 24 letters, digits, hyphens, underscores or periods.",
                    "jobName");
        }
    }

    public static void requireSubscription(String subscriptionId) {
        if (subscriptionId == null || !SUBSCRIPTION.matcher(subscriptionId).matches()) {
            throw new JobException(
                    JobErrorCode.InvalidSubscriptionId,
                    "The subscription '" + shorten(subscriptionId) + "' is not a valid subscription ID (a GUID).",
                    "subscriptionId");
        }
    }

    public static void requireResourceGroup(String resourceGroup) {
        if (resourceGroup == null || !RESOURCE_GROUP.matcher(resourceGroup).matches()) {
            throw new JobException(
                    JobErrorCode.InvalidResourceGroupName,
                    "The resource group name '" + shorten(resourceGroup) + "' is not valid.",
                    "resourceGroupName");
        }
    }

    /** The job's ARM resource ID, in the case the job was created with. */
    public String resourceId() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.DataBox/jobs/" + name;
    }

    /** The key of a job's ARM resource ID, as {@link #resourceId()} writes it. */
    public static JobKey ofResourceId(String resourceId) {
        String[] segments = resourceId.split("/");
        return new JobKey(segments[2], segments[4], segments[8]);
    }

    public JobKey lowerCase() {
        return new JobKey(
                subscriptionId.toLowerCase(Locale.ROOT),
                resourceGroup.toLowerCase(Locale.ROOT),
                name.toLowerCase(Locale.ROOT));
    }

    /**
     * The name of the order behind this job (DATABOX-ARM-API.md, "Job names and order names"):
     * {@code arm-} and 20 hex digits of the SHA-256 of the lower-cased resource ID. Always a valid
     * order name, the same for every spelling of the job's ID, and different for jobs of the same
     * name in other resource groups or subscriptions.
     */
    public String orderName() {
        return orderNameOf(lowerCase().resourceId());
    }

    /** Another order name of this job, for a job created again after its deletion: the ID and {@code salt} hashed. */
    public String orderName(String salt) {
        return orderNameOf(lowerCase().resourceId() + "#" + salt);
    }

    private static String orderNameOf(String text) {
        return "arm-" + Sha256.hex(text).substring(0, 20);
    }

    private static String shorten(String value) {
        return value == null ? "" : value.length() > 80 ? value.substring(0, 80) + "…" : value;
    }
}
