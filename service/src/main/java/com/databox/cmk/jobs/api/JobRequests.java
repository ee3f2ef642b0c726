package com.databox.cmk.jobs.api;

import com.databox.cmk.api.RequestLimits;
import com.databox.cmk.jobs.JobDraft;
import com.databox.cmk.jobs.JobException;
import com.databox.cmk.jobs.JobPatch;
import com.databox.cmk.jobs.KekChange;
import com.databox.cmk.order.IdentityTypes;
import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.UserAssignedIdentityId;
import com.databox.cmk.order.VaultResourceId;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * ARM request bodies of Microsoft.DataBox/jobs, read as JSON trees: what the service models
 * (location, identity, the key) is checked and parsed; job properties it does not model
 * (contact and shipping details, transfer type, data import details, …) are checked only for
 * shape and kept as given. Enum values are matched ignoring case, as ARM does.
 */
final class JobRequests {
    /** Read-only in the spec: ignored in requests, computed in responses. */
    static final Set<String> READ_ONLY_PROPERTIES = Set.of(
            "status",
            "isCancellable",
            "isDeletable",
            "isShippingAddressEditable",
            "isPrepareToShipEnabled",
            "startTime",
            "error",
            "cancellationReason",
            "isCancellableWithoutFee",
            "areAllDevicesLost",
            "allDevicesLost",
            "reverseShippingDetailsUpdate",
            "reverseTransportPreferenceUpdate",
            "provisioningState");

    static final Set<String> READ_ONLY_DETAILS = Set.of(
            "jobStages",
            "deliveryPackage",
            "returnPackage",
            "copyLogDetails",
            "reverseShipmentLabelSasKey",
            "chainOfCustodySasKey",
            "copyProgress",
            "deviceErasureDetails",
            "actions",
            "lastMitigationActionOnJob",
            "datacenterAddress",
            "dataCenterCode",
            "granularCopyProgress",
            "granularCopyLogDetails",
            "keyEncryptionKey");
    private static final Set<String> RESOURCE_READ_ONLY = Set.of("id", "name", "type", "systemData", "etag");
    private static final Pattern LOCATION = Pattern.compile("[a-z0-9]{2,40}");
    private static final int MAX_RESOURCE_ID = 512;
    private static final String KEK = "properties.details.keyEncryptionKey";

    private final ObjectMapper json;

    JobRequests(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw JobException.invalid("A JSON request body is required.", "body");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw JobException.invalid(
                    "The request body is not valid JSON" + RequestLimits.whatIsWrong(e) + ".", "body");
        }
        if (!(node instanceof ObjectNode object)) {
            throw JobException.invalid("The request body must be a JSON object.", "body");
        }
        return object;
    }

    // ---- PUT ---------------------------------------------------------------------------------

    JobDraft create(String body) {
        ObjectNode root = parseObject(body);
        onlyFields(root, "", Set.of("location", "tags", "sku", "identity", "properties"), RESOURCE_READ_ONLY);
        String location = location(root.get("location"));
        String tags = tags(root.get("tags"));
        String sku = sku(root.get("sku"));
        IdentityUpdate identity = root.hasNonNull("identity") ? identity(root.get("identity"), false) : null;
        ObjectNode properties = object(root.get("properties"), "properties", true);
        String transferType = string(
                properties.get("transferType"),
                "properties.transferType",
                true,
                Set.of("ImportToAzure", "ExportFromAzure"));
        KeyEncryptionKeyRequest kek = null;
        ObjectNode kept = properties.deepCopy();
        READ_ONLY_PROPERTIES.forEach(kept::remove);
        // Enum values as the spec spells them: an SDK answered "databox" finds no class for it.
        kept.put("transferType", transferType);
        if (properties.has("details")) {
            ObjectNode details = object(properties.get("details"), "properties.details", true);
            string(details.get("jobDetailsType"), "properties.details.jobDetailsType", true, Set.of("DataBox"));
            if (details.has("devicePassword")) {
                throw JobException.invalid(
                        "'devicePassword' cannot be chosen: the service generates the device "
                                + "password and protects it with the job's key; read it with listCredentials.",
                        "properties.details.devicePassword");
            }
            detailShapes(details, "properties.details");
            if (details.hasNonNull("keyEncryptionKey")) {
                KekChange change = kek(details.get("keyEncryptionKey"));
                if (change.customerManaged()) {
                    if (change.kekUrl() == null) {
                        throw JobException.invalid("'kekUrl' is required for a customer-managed key.", KEK + ".kekUrl");
                    }
                    kek = new KeyEncryptionKeyRequest(
                            change.kekUrl(),
                            change.kekVaultResourceId(),
                            change.identity() == null ? KeyIdentity.SYSTEM_ASSIGNED : change.identity());
                }
            }
            ObjectNode keptDetails = (ObjectNode) kept.get("details");
            READ_ONLY_DETAILS.forEach(keptDetails::remove);
            keptDetails.put("jobDetailsType", "DataBox");
        }
        delivery(properties, kept);
        return new JobDraft(location, tags, sku, kept.toString(), identity, kek);
    }

    // ---- PATCH -------------------------------------------------------------------------------

    /** What a PATCH changes, and {@link #needsKeyRole}/{@link #needsWriteRole} to say which app roles that takes. */
    record Patch(JobPatch patch, boolean needsKeyRole, boolean needsWriteRole) {}

    Patch update(String body) {
        ObjectNode root = parseObject(body);
        onlyFields(root, "", Set.of("tags", "identity", "properties"), RESOURCE_READ_ONLY);
        String tags = root.has("tags") ? tags(root.get("tags")) : null;
        IdentityUpdate identity = root.hasNonNull("identity") ? identity(root.get("identity"), true) : null;
        KekChange kek = null;
        ObjectNode changes = json.createObjectNode();
        if (root.hasNonNull("properties")) {
            ObjectNode properties = object(root.get("properties"), "properties", true);
            // The spec's UpdateJobProperties: what a job is (its transfer type, its details' type) is not changed.
            onlyFields(properties, "properties.", Set.of("details", "deliveryInfo"), READ_ONLY_PROPERTIES);
            changes = properties.deepCopy();
            READ_ONLY_PROPERTIES.forEach(changes::remove);
            delivery(properties, changes);
            if (properties.hasNonNull("details")) {
                ObjectNode details = object(properties.get("details"), "properties.details", true);
                string(details.get("jobDetailsType"), "properties.details.jobDetailsType", false, Set.of("DataBox"));
                detailShapes(details, "properties.details");
                if (details.has("devicePassword")) {
                    throw JobException.invalid(
                            "'devicePassword' cannot be changed: the service generates it.",
                            "properties.details.devicePassword");
                }
                if (details.hasNonNull("keyEncryptionKey")) {
                    kek = kek(details.get("keyEncryptionKey"));
                }
                ObjectNode changedDetails = (ObjectNode) changes.get("details");
                READ_ONLY_DETAILS.forEach(changedDetails::remove);
                changedDetails.remove("jobDetailsType"); // what the job is stays, as stored
            }
        }
        ObjectNode merge = changes;
        boolean otherChanges = !merge.isEmpty()
                && !(merge.size() == 1
                        && merge.has("details")
                        && merge.get("details").isEmpty());
        JobPatch patch = new JobPatch(tags, stored -> merge(stored, merge), identity, kek);
        return new Patch(patch, kek != null, identity != null || tags != null || otherChanges || kek == null);
    }

    // ---- cancel ------------------------------------------------------------------------------

    private static final int MAX_REASON = 1024;

    /** The cancel request's {@code reason}, as what records it in the stored properties ({@code cancellationReason}). */
    UnaryOperator<String> cancellationReason(String body) {
        ObjectNode request = parseObject(body);
        onlyFields(request, "", Set.of("reason"), Set.of());
        String reason = string(request.get("reason"), "reason", true, null);
        if (reason.isBlank() || reason.length() > MAX_REASON) {
            throw JobException.invalid(
                    "'reason' is required: why the job is cancelled, in at most " + MAX_REASON + " characters.",
                    "reason");
        }
        ObjectNode change = json.createObjectNode().put("cancellationReason", reason);
        return stored -> merge(stored, change);
    }

    /** The stored properties with the PATCH's applied: top-level fields replaced, details merged one level deep. */
    private String merge(String stored, ObjectNode changes) {
        if (changes.isEmpty()) {
            return stored;
        }
        ObjectNode properties;
        try {
            properties = stored == null ? json.createObjectNode() : (ObjectNode) json.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored job properties are not JSON", e);
        }
        changes.properties().forEach(entry -> {
            if (entry.getKey().equals("details") && entry.getValue().isEmpty()) {
                return;
            }
            if (entry.getKey().equals("details") && properties.get("details") instanceof ObjectNode details) {
                entry.getValue().properties().forEach(d -> details.set(d.getKey(), d.getValue()));
            } else {
                properties.set(entry.getKey(), entry.getValue());
            }
        });
        return properties.toString();
    }

    // ---- parts -------------------------------------------------------------------------------

    private static String location(JsonNode node) {
        String value = string(node, "location", true, null);
        String normalised = value.replace(" ", "").toLowerCase(Locale.ROOT);
        if (!LOCATION.matcher(normalised).matches()) {
            throw JobException.invalid("'location' must be an Azure region such as 'westus'.", "location");
        }
        return normalised;
    }

    private String tags(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        ObjectNode tags = object(node, "tags", true);
        if (tags.size() > 50) {
            throw JobException.invalid("A resource can have at most 50 tags.", "tags");
        }
        tags.properties().forEach(tag -> {
            if (tag.getKey().length() > 512
                    || !tag.getValue().isTextual()
                    || tag.getValue().asText().length() > 256) {
                throw JobException.invalid(
                        "Each tag is a name of up to 512 characters with a string value of up to " + "256.", "tags");
            }
        });
        return tags.toString();
    }

    private String sku(JsonNode node) {
        ObjectNode sku = object(node, "sku", true).deepCopy();
        sku.put("name", string(sku.get("name"), "sku.name", true, Set.of("DataBox")));
        for (String field : List.of("displayName", "family")) {
            if (sku.has(field)) {
                string(sku.get(field), "sku." + field, false, null);
            }
        }
        return sku.toString();
    }

    /** ARM's identity property; {@code null} in userAssignedIdentities detaches (in a PATCH). */
    private static IdentityUpdate identity(JsonNode node, boolean patch) {
        ObjectNode identity = object(node, "identity", true);
        String type = string(identity.get("type"), "identity.type", true, null);
        IdentityTypes types = IdentityTypes.parse(type)
                .orElseThrow(() -> JobException.invalid(
                        "'" + type + "' is not an identity type: use " + IdentityTypes.ALLOWED + ".", "identity.type"));
        boolean system = types.systemAssigned();
        boolean user = types.userAssigned();
        Set<UserAssignedIdentityId> attach = new HashSet<>();
        Set<UserAssignedIdentityId> detach = new HashSet<>();
        JsonNode users = identity.get("userAssignedIdentities");
        if (users != null && !users.isNull()) {
            ObjectNode map = object(users, "identity.userAssignedIdentities", true);
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                requireUserAssigned(entry.getKey(), "identity.userAssignedIdentities");
                if (entry.getValue().isNull()) {
                    if (patch) {
                        detach.add(new UserAssignedIdentityId(entry.getKey()));
                    }
                } else if (entry.getValue().isObject()) {
                    if (!user) {
                        throw JobException.invalid(
                                "'userAssignedIdentities' is given but the identity type does not "
                                        + "include UserAssigned.",
                                "identity.userAssignedIdentities");
                    }
                    attach.add(new UserAssignedIdentityId(entry.getKey()));
                } else {
                    throw JobException.invalid(
                            "Each user-assigned identity maps to {} (attach) or null (detach).",
                            "identity.userAssignedIdentities");
                }
            }
        }
        return new IdentityUpdate(system, user, attach, detach);
    }

    private static KekChange kek(JsonNode node) {
        ObjectNode kek = object(node, KEK, true);
        onlyFields(kek, KEK + ".", Set.of("kekType", "kekUrl", "kekVaultResourceID", "identityProperties"), Set.of());
        String type = string(kek.get("kekType"), KEK + ".kekType", true, Set.of("MicrosoftManaged", "CustomerManaged"));
        String url = string(kek.get("kekUrl"), KEK + ".kekUrl", false, null);
        String vault = string(kek.get("kekVaultResourceID"), KEK + ".kekVaultResourceID", false, null);
        KeyIdentity identity = null;
        if (kek.hasNonNull("identityProperties")) {
            ObjectNode properties = object(kek.get("identityProperties"), KEK + ".identityProperties", true);
            String identityType = string(
                    properties.get("type"),
                    KEK + ".identityProperties.type",
                    true,
                    Set.of("SystemAssigned", "UserAssigned"));
            if (identityType.equals("UserAssigned")) {
                JsonNode userAssigned = properties.get("userAssigned");
                String resourceId = userAssigned == null || userAssigned.isNull()
                        ? null
                        : string(
                                object(userAssigned, KEK + ".identityProperties.userAssigned", true)
                                        .get("resourceId"),
                                KEK + ".identityProperties.userAssigned.resourceId",
                                false,
                                null);
                if (resourceId == null) {
                    throw JobException.invalid(
                            "'userAssigned.resourceId' is required for a user-assigned identity.",
                            KEK + ".identityProperties.userAssigned.resourceId");
                }
                requireUserAssigned(resourceId, KEK + ".identityProperties.userAssigned.resourceId");
                identity = KeyIdentity.userAssigned(new UserAssignedIdentityId(resourceId));
            } else {
                identity = KeyIdentity.SYSTEM_ASSIGNED;
            }
        }
        if (type.equals("MicrosoftManaged")) {
            if (url != null || identity instanceof KeyIdentity.UserAssigned) {
                throw JobException.invalid("A Microsoft-managed key takes no kekUrl or user-assigned identity.", KEK);
            }
            return new KekChange(false, null, null, null);
        }
        if (url != null && (url.isBlank() || url.length() > 2048)) {
            throw JobException.invalid("'kekUrl' must be the key identifier from the key vault.", KEK + ".kekUrl");
        }
        if (vault != null && !VaultResourceId.isWellFormed(vault)) {
            throw JobException.invalid(
                    "'kekVaultResourceID' is not the resource ID of a key vault "
                            + "(/subscriptions/…/providers/Microsoft.KeyVault/vaults/…).",
                    KEK + ".kekVaultResourceID");
        }
        return new KekChange(true, url, vault == null ? null : new VaultResourceId(vault), identity);
    }

    /**
     * {@code deliveryType} and {@code deliveryInfo} in their spec's types, written into {@code kept} as
     * the SDKs read them back: {@code scheduledDateTime} with its seconds and a four-digit year (Python's
     * deserializer refuses {@code 09:00Z}), and one stored otherwise breaks every list of the
     * subscription's jobs for them.
     */
    private static void delivery(ObjectNode properties, ObjectNode kept) {
        String deliveryType = string(
                properties.get("deliveryType"), "properties.deliveryType", false, Set.of("NonScheduled", "Scheduled"));
        if (deliveryType != null) {
            kept.put("deliveryType", deliveryType);
        }
        if (properties.hasNonNull("deliveryInfo")) {
            ObjectNode info = object(properties.get("deliveryInfo"), "properties.deliveryInfo", true);
            onlyFields(info, "properties.deliveryInfo.", Set.of("scheduledDateTime"), Set.of());
            String at = "properties.deliveryInfo.scheduledDateTime";
            String when = string(info.get("scheduledDateTime"), at, false, null);
            if (when != null) {
                ((ObjectNode) kept.get("deliveryInfo")).put("scheduledDateTime", dateTime(when, at));
            }
        }
    }

    private static String dateTime(String when, String at) {
        try {
            OffsetDateTime parsed = OffsetDateTime.parse(when);
            if (parsed.getYear() < 1 || parsed.getYear() > 9999) {
                throw new DateTimeParseException("year out of range", when, 0);
            }
            // Seconds always (fractions only when there are some), the offset as given, Z for UTC.
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(parsed);
        } catch (DateTimeParseException e) {
            throw JobException.invalid(
                    "'scheduledDateTime' must be an ISO 8601 date and time with its offset, such as "
                            + "2026-12-24T09:00:00Z.",
                    at);
        }
    }

    /** The details this service does not model keep their spec's JSON types. */
    private static void detailShapes(ObjectNode details, String at) {
        for (String field : List.of(
                "contactDetails",
                "shippingAddress",
                "preferences",
                "keyEncryptionKey",
                "returnToCustomerPackageDetails",
                "reverseShippingDetails")) {
            if (details.hasNonNull(field)) {
                object(details.get(field), at + "." + field, true);
            }
        }
        for (String field : List.of("dataImportDetails", "dataExportDetails")) {
            if (details.hasNonNull(field) && !details.get(field).isArray()) {
                throw JobException.invalid("'" + field + "' must be an array.", at + "." + field);
            }
        }
        // The spec's name (capital B): what the SDKs send and read back as an integer.
        if (details.hasNonNull("expectedDataSizeInTeraBytes")
                && !details.get("expectedDataSizeInTeraBytes").isIntegralNumber()) {
            throw JobException.invalid(
                    "'expectedDataSizeInTeraBytes' must be a whole number.", at + ".expectedDataSizeInTeraBytes");
        }
        if (details.get("contactDetails") instanceof ObjectNode contact) {
            contactDetails(contact, at + ".contactDetails");
        }
        if (details.get("shippingAddress") instanceof ObjectNode address) {
            address.properties()
                    .forEach(field -> string(field.getValue(), at + ".shippingAddress." + field.getKey(), false, null));
        }
    }

    /**
     * The spec's types of {@code contactDetails}, which an expanded GET answers as stored: a value of
     * another type fails the SDK's deserializer there (Python: "Invalid boolean value").
     */
    private static void contactDetails(ObjectNode contact, String at) {
        for (String field : List.of("contactName", "phone", "phoneExtension", "mobile")) {
            string(contact.get(field), at + "." + field, false, null);
        }
        if (contact.hasNonNull("emailList")) {
            JsonNode emails = contact.get("emailList");
            if (!emails.isArray()) {
                throw JobException.invalid("'emailList' must be an array of strings.", at + ".emailList");
            }
            for (JsonNode email : emails) {
                string(email, at + ".emailList[]", true, null);
            }
        }
        if (contact.hasNonNull("notificationPreference")) {
            JsonNode preferences = contact.get("notificationPreference");
            if (!preferences.isArray()) {
                throw JobException.invalid(
                        "'notificationPreference' must be an array.", at + ".notificationPreference");
            }
            for (JsonNode preference : preferences) {
                ObjectNode one = object(preference, at + ".notificationPreference[]", true);
                string(one.get("stageName"), at + ".notificationPreference[].stageName", true, null);
                if (!(one.get("sendNotification") instanceof JsonNode send) || !send.isBoolean()) {
                    throw JobException.invalid(
                            "'sendNotification' must be true or false.",
                            at + ".notificationPreference[].sendNotification");
                }
            }
        }
    }

    private static void onlyFields(ObjectNode object, String prefix, Set<String> known, Set<String> ignored) {
        object.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field) && !ignored.contains(field)) {
                throw JobException.invalid("The property '" + prefix + field + "' is not known here.", prefix + field);
            }
        });
    }

    private static ObjectNode object(JsonNode node, String at, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                throw JobException.invalid("'" + at + "' is required.", at);
            }
            return null;
        }
        if (!(node instanceof ObjectNode object)) {
            throw JobException.invalid("'" + at + "' must be a JSON object.", at);
        }
        return object;
    }

    /** A string; with {@code values}, one of them ignoring case, answered in the spec's case. */
    private static String string(JsonNode node, String at, boolean required, Set<String> values) {
        if (node == null || node.isNull()) {
            if (required) {
                throw JobException.invalid("'" + at + "' is required.", at);
            }
            return null;
        }
        if (!node.isTextual()) {
            throw JobException.invalid("'" + at + "' must be a string.", at);
        }
        String value = node.asText();
        if (values == null) {
            return value;
        }
        return values.stream()
                .filter(v -> v.equalsIgnoreCase(value.trim()))
                .findFirst()
                .orElseThrow(() -> JobException.invalid(
                        "'" + (value.length() > 60 ? value.substring(0, 60) + "…" : value)
                                + "' is not a valid value of '" + at + "': use one of " + values + ".",
                        at));
    }

    private static void requireUserAssigned(String resourceId, String at) {
        if (resourceId == null
                || resourceId.length() > MAX_RESOURCE_ID
                || !UserAssignedIdentityId.isWellFormed(resourceId)) {
            throw JobException.invalid(
                    "'"
                            + (resourceId == null
                                    ? ""
                                    : resourceId.length() > 80 ? resourceId.substring(0, 80) + "…" : resourceId)
                            + "' is not the resource ID of a user-assigned "
                            + "identity (/subscriptions/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/…).",
                    at);
        }
    }
}
