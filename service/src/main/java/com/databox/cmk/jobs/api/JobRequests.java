package com.databox.cmk.jobs.api;

import static java.util.Map.entry;

import com.databox.cmk.api.JsonBodies;
import com.databox.cmk.api.RequestLimits;
import com.databox.cmk.jobs.ImmutableMembers;
import com.databox.cmk.jobs.JobDocuments;
import com.databox.cmk.jobs.JobDraft;
import com.databox.cmk.jobs.JobErrorCode;
import com.databox.cmk.jobs.JobException;
import com.databox.cmk.jobs.JobPatch;
import com.databox.cmk.jobs.KekChange;
import com.databox.cmk.order.CustomerResolutionCode;
import com.databox.cmk.order.IdentityTypes;
import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.VaultResourceId;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
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
 * (contact and shipping details, transfer type, data import details, …) are checked against the
 * spec's JSON types ({@link #PROPERTIES}) and kept as given, but for what the spec says is never
 * answered (share passwords: not stored). Enum values are matched ignoring case, as ARM does.
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
            "delayedStage",
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
    /** In the spec's order, as a refusal lists them (a Set.of lists them in an order each JVM start draws anew). */
    private static final List<String> TRANSFER_TYPES = List.of("ImportToAzure", "ExportFromAzure");
    /** The characters ARM refuses in a tag's name. */
    private static final String TAG_NAME_REFUSED = "<>%&\\?/";

    /** Where the job answers and takes its key: the path ARM errors name as their target. */
    static final String KEK = "properties.details.keyEncryptionKey";

    private final ObjectMapper json;

    JobRequests(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode parseObject(byte[] body) {
        if (JsonBodies.isBlank(body)) {
            throw JobException.invalid("A JSON request body is required.", "body");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            // A JsonProcessingException says where; an encoding the reader could not take (CharConversionException)
            // not.
            String where = e instanceof JsonProcessingException parse ? RequestLimits.whatIsWrong(parse) : "";
            throw JobException.invalid("The request body is not valid JSON" + where + ".", "body");
        }
        if (!(node instanceof ObjectNode object)) {
            throw JobException.invalid("The request body must be a JSON object.", "body");
        }
        return object;
    }

    // ---- PUT ---------------------------------------------------------------------------------

    JobDraft create(byte[] body, String apiVersion) {
        ObjectNode root = parseObject(body);
        onlyFields(root, "", Set.of("location", "tags", "sku", "identity", "properties"), RESOURCE_READ_ONLY);
        String location = location(root.get("location"));
        String tags = tags(root.get("tags"));
        String sku = sku(root.get("sku"), true);
        IdentityUpdate identity = root.hasNonNull("identity") ? identity(root.get("identity"), false) : null;
        ObjectNode properties = object(root.get("properties"), "properties", true);
        // In the spec's types, or refused: stored otherwise, the job broke the SDKs' expanded GET for good.
        ObjectNode kept = (ObjectNode) typed(properties, PROPERTIES, "properties", true);
        String transferType = string(properties.get("transferType"), "properties.transferType", true, TRANSFER_TYPES);
        KeyEncryptionKeyRequest kek = null;
        READ_ONLY_PROPERTIES.forEach(kept::remove);
        // Enum values as the spec spells them: an SDK answered "databox" finds no class for it.
        kept.put("transferType", transferType);
        if (properties.has("details")) {
            ObjectNode details = object(properties.get("details"), "properties.details", true);
            string(details.get("jobDetailsType"), "properties.details.jobDetailsType", true, List.of("DataBox"));
            if (details.has("devicePassword")) {
                throw JobException.invalid(
                        "'devicePassword' cannot be chosen: the service generates the device "
                                + "password and protects it with the job's key; read it with listCredentials.",
                        "properties.details.devicePassword");
            }
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
        // Stored as the job is answered: a PUT of the job as read describes it as it is.
        if (!kept.hasNonNull("deliveryType")) {
            kept.put("deliveryType", JobDocuments.DEFAULT_DELIVERY_TYPE);
        }
        boolean keyReadOnly = ApiVersions.V2020_11_01.equals(apiVersion)
                && !(properties.get("details") instanceof ObjectNode details && details.has("keyEncryptionKey"));
        return new JobDraft(location, tags, sku, kept.toString(), identity, kek, keyReadOnly);
    }

    // ---- PATCH -------------------------------------------------------------------------------

    /** What a PATCH changes, and {@link #needsKeyRole}/{@link #needsWriteRole} to say which app roles that takes. */
    record Patch(JobPatch patch, boolean needsKeyRole, boolean needsWriteRole) {}

    Patch update(byte[] body) {
        ObjectNode root = parseObject(body);
        // What a job keeps (location, sku, transfer and delivery types) is taken to be compared with the job's.
        onlyFields(root, "", Set.of("tags", "identity", "properties", "location", "sku"), RESOURCE_READ_ONLY);
        String tags = root.has("tags") ? tags(root.get("tags")) : null;
        IdentityUpdate identity = root.hasNonNull("identity") ? identity(root.get("identity"), true) : null;
        String location = root.hasNonNull("location") ? location(root.get("location")) : null;
        String sku = root.hasNonNull("sku") ? sku(root.get("sku"), false) : null;
        String transferType = null;
        String deliveryType = null;
        KekChange kek = null;
        ObjectNode changes = json.createObjectNode();
        if (root.hasNonNull("properties")) {
            ObjectNode properties = object(root.get("properties"), "properties", true);
            // The spec's UpdateJobProperties: what a job is (its transfer type, its details' type) is not changed.
            onlyFields(
                    properties,
                    "properties.",
                    Set.of("details", "deliveryInfo", "transferType", "deliveryType"),
                    READ_ONLY_PROPERTIES);
            changes = (ObjectNode) typed(properties, PROPERTIES, "properties", true);
            READ_ONLY_PROPERTIES.forEach(changes::remove);
            delivery(properties, changes);
            transferType = string(properties.get("transferType"), "properties.transferType", false, TRANSFER_TYPES);
            deliveryType = changes.hasNonNull("deliveryType")
                    ? changes.get("deliveryType").asText()
                    : null;
            changes.remove(List.of("transferType", "deliveryType"));
            if (properties.hasNonNull("details")) {
                ObjectNode details = object(properties.get("details"), "properties.details", true);
                string(details.get("jobDetailsType"), "properties.details.jobDetailsType", false, List.of("DataBox"));
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
        JobPatch patch = new JobPatch(
                tags,
                stored -> merge(stored, merge),
                identity,
                kek,
                new ImmutableMembers(location, sku, transferType, deliveryType));
        return new Patch(patch, kek != null, identity != null || tags != null || otherChanges || kek == null);
    }

    // ---- cancel ------------------------------------------------------------------------------

    private static final int MAX_REASON = 1024;

    /**
     * The cancel request's {@code reason}, as what records it in the stored properties ({@code cancellationReason});
     * a reason already recorded is kept, as a job is cancelled once.
     */
    UnaryOperator<String> cancellationReason(byte[] body) {
        ObjectNode request = parseObject(body);
        onlyFields(request, "", Set.of("reason"), Set.of());
        String reason = string(request.get("reason"), "reason", true, null);
        if (reason.isBlank() || reason.length() > MAX_REASON) {
            throw JobException.invalid(
                    "'reason' is required: why the job is cancelled, in at most " + MAX_REASON + " characters.",
                    "reason");
        }
        ObjectNode change = json.createObjectNode().put("cancellationReason", reason);
        return stored -> hasCancellationReason(stored) ? stored : merge(stored, change);
    }

    /**
     * The mitigate request's resolution code: {@code customerResolutionCode}, or the one code of a
     * {@code serialNumberCustomerResolutionMap} (a Data Box job has one device), in any case.
     */
    CustomerResolutionCode resolutionCode(byte[] body) {
        ObjectNode request = parseObject(body);
        boolean single = request.hasNonNull("customerResolutionCode");
        boolean map = request.hasNonNull("serialNumberCustomerResolutionMap");
        if (single == map) {
            throw JobException.invalid(
                    "Give either 'customerResolutionCode' or 'serialNumberCustomerResolutionMap'.",
                    "customerResolutionCode");
        }
        String field = single ? "customerResolutionCode" : "serialNumberCustomerResolutionMap";
        JsonNode codesGiven = request.get(field);
        List<JsonNode> given = new ArrayList<>();
        if (codesGiven.isObject()) {
            codesGiven.elements().forEachRemaining(given::add);
        } else {
            given.add(codesGiven);
        }
        Set<CustomerResolutionCode> resolutions = EnumSet.noneOf(CustomerResolutionCode.class);
        for (JsonNode code : given) {
            resolutions.add(CustomerResolutionCode.parse(code.isTextual() ? code.asText() : null)
                    .orElseThrow(() -> JobException.invalid(
                            "A customer resolution code is one of " + CustomerResolutionCode.wireNames() + ".",
                            field)));
        }
        if (resolutions.size() != 1) {
            throw JobException.invalid(
                    "A Data Box job has one device: give one resolution code.", "serialNumberCustomerResolutionMap");
        }
        return resolutions.iterator().next();
    }

    private boolean hasCancellationReason(String stored) {
        try {
            return stored != null && json.readTree(stored).hasNonNull("cancellationReason");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored job properties are not JSON", e);
        }
    }

    /** The stored properties with the PATCH's applied: top-level fields replaced, details merged one level deep. */
    private String merge(String stored, ObjectNode changes) {
        if (changes.isEmpty()) {
            return stored;
        }
        ObjectNode properties;
        try {
            properties = stored == null ? json.createObjectNode() : answerable((ObjectNode) json.readTree(stored));
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
            // ARM's limitation of tag names (learn.microsoft.com, "Use tags to organize your Azure resources",
            // Limitations): a template that passed here would fail on Azure.
            if (tag.getKey().chars().anyMatch(c -> TAG_NAME_REFUSED.indexOf(c) >= 0)) {
                throw new JobException(
                        JobErrorCode.InvalidTagNameCharacters,
                        "A tag name cannot contain any of the characters "
                                + String.join(" ", TAG_NAME_REFUSED.split("")) + ".",
                        "tags");
            }
        });
        return tags.toString();
    }

    /** The SKU with its name in the spec's spelling; {@code nameRequired} but in a PATCH, where absent it is the job's. */
    private String sku(JsonNode node, boolean nameRequired) {
        ObjectNode sku = object(node, "sku", true).deepCopy();
        String name = string(sku.get("name"), "sku.name", nameRequired, List.of("DataBox"));
        if (name != null) {
            sku.put("name", name);
        }
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
        String type =
                string(kek.get("kekType"), KEK + ".kekType", true, List.of("MicrosoftManaged", "CustomerManaged"));
        String url = string(kek.get("kekUrl"), KEK + ".kekUrl", false, null);
        String vault = string(kek.get("kekVaultResourceID"), KEK + ".kekVaultResourceID", false, null);
        KeyIdentity identity = null;
        if (kek.hasNonNull("identityProperties")) {
            ObjectNode properties = object(kek.get("identityProperties"), KEK + ".identityProperties", true);
            String identityType = string(
                    properties.get("type"),
                    KEK + ".identityProperties.type",
                    true,
                    List.of("SystemAssigned", "UserAssigned"));
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
        if (url != null && (url.isBlank() || url.length() > KeyUrl.MAX_LENGTH)) {
            throw JobException.invalid("'kekUrl' must be the key identifier from the key vault.", KEK + ".kekUrl");
        }
        if (vault != null && !VaultResourceId.isWellFormed(vault)) {
            throw JobException.invalid(
                    "'kekVaultResourceID' is not the resource ID of a key vault "
                            + "(/subscriptions/…/providers/Microsoft.KeyVault/vaults/…).",
                    KEK + ".kekVaultResourceID");
        }
        return new KekChange(
                true,
                url == null ? null : RequestedKeyUrl.read(url),
                vault == null ? null : new VaultResourceId(vault),
                identity);
    }

    /**
     * {@code deliveryType} and {@code deliveryInfo} in their spec's types, written into {@code kept} as
     * the SDKs read them back: {@code scheduledDateTime} with its seconds and a four-digit year (Python's
     * deserializer refuses {@code 09:00Z}), and one stored otherwise breaks every list of the
     * subscription's jobs for them.
     */
    private static void delivery(ObjectNode properties, ObjectNode kept) {
        String deliveryType = string(
                properties.get("deliveryType"), "properties.deliveryType", false, List.of("NonScheduled", "Scheduled"));
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

    // ---- the spec's types --------------------------------------------------------------------

    /**
     * A JSON type of the spec (databox.json, Microsoft.DataBox/stable: the union of 2020-11-01,
     * 2022-12-01 and 2025-02-01, whose properties keep their types from one version to the next).
     * What a request sends where the spec types a property must be of that type: stored otherwise, it
     * is answered as stored and fails the SDKs' deserializers. Enum values are not checked (the SDKs
     * read an unknown value as a string); properties the spec does not name are kept as given.
     */
    private sealed interface SpecType permits Scalar, ArrayOf, MapOf, ObjectOf, OneOf, NotStored {}

    private enum Scalar implements SpecType {
        STRING("a string", "strings"),
        BOOLEAN("true or false", "booleans"),
        INT32("a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + " (int32)", "int32 numbers"),
        INT64("a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE + " (int64)", "int64 numbers"),
        NUMBER("a number", "numbers");

        final String one;
        final String many;

        Scalar(String one, String many) {
            this.one = one;
            this.many = many;
        }

        boolean accepts(JsonNode node) {
            return switch (this) {
                case STRING -> node.isTextual();
                case BOOLEAN -> node.isBoolean();
                case INT32 -> node.isIntegralNumber() && node.canConvertToInt();
                case INT64 -> node.isIntegralNumber() && node.canConvertToLong();
                case NUMBER -> node.isNumber();
            };
        }
    }

    private record ArrayOf(SpecType items) implements SpecType {}

    /** An object of any property names, each of {@code values} (the spec's additionalProperties). */
    private record MapOf(SpecType values) implements SpecType {}

    /** An object; {@code required}: the properties it must have (only where the service required them before). */
    private record ObjectOf(Map<String, SpecType> properties, Set<String> required) implements SpecType {}

    /**
     * The spec's polymorphic object: the {@code base} properties and those of the variant its
     * {@code discriminator} names (answered in the spec's spelling, as the SDKs pick the class by it); of
     * every variant when it names none (the SDKs then read the base class).
     */
    private record OneOf(String discriminator, Map<String, SpecType> base, Map<String, Map<String, SpecType>> variants)
            implements SpecType {}

    /**
     * Not stored, so never answered: {@code READ_ONLY}, what the service computes (ignored in requests,
     * as ARM does); {@code SECRET}, a string the spec says is never answered (x-ms-secret, "This will not be
     * returned in Get Call"), which this service does not use.
     */
    private enum NotStored implements SpecType {
        READ_ONLY,
        SECRET
    }

    private static ObjectOf fields(Map<String, SpecType> properties) {
        return new ObjectOf(properties, Set.of());
    }

    /** ContactDetails is ContactInfo (reverse shipping's contact) and its own properties. */
    private static Map<String, SpecType> union(Map<String, SpecType> base, Map<String, SpecType> own) {
        Map<String, SpecType> both = new HashMap<>(base);
        both.putAll(own);
        return Map.copyOf(both);
    }

    private static final SpecType STRINGS = new ArrayOf(Scalar.STRING);
    private static final SpecType STRING = Scalar.STRING;
    private static final SpecType BOOLEAN = Scalar.BOOLEAN;

    private static final ObjectOf SHIPPING_ADDRESS = fields(Map.ofEntries(
            entry("streetAddress1", STRING),
            entry("streetAddress2", STRING),
            entry("streetAddress3", STRING),
            entry("city", STRING),
            entry("stateOrProvince", STRING),
            entry("country", STRING),
            entry("postalCode", STRING),
            entry("zipExtendedCode", STRING),
            entry("companyName", STRING),
            entry("addressType", STRING),
            entry("skipAddressValidation", BOOLEAN),
            entry("taxIdentificationNumber", STRING)));
    private static final Map<String, SpecType> CONTACT_INFO =
            Map.of("contactName", STRING, "phone", STRING, "phoneExtension", STRING, "mobile", STRING);
    private static final ObjectOf TRANSPORT_PREFERENCES =
            fields(Map.of("preferredShipmentType", STRING, "isUpdated", NotStored.READ_ONLY));
    /** DataAccountDetails: StorageAccountDetails or ManagedDiskDetails. */
    private static final OneOf DATA_ACCOUNT = new OneOf(
            "dataAccountType",
            Map.of("dataAccountType", STRING, "sharePassword", NotStored.SECRET),
            Map.of(
                    "StorageAccount", Map.of("storageAccountId", STRING),
                    "ManagedDisk", Map.of("resourceGroupId", STRING, "stagingStorageAccountId", STRING)));

    private static final ObjectOf TRANSFER_CONFIGURATION = fields(Map.of(
            "transferConfigurationType",
            STRING,
            "transferFilterDetails",
            fields(Map.of(
                    "include",
                    fields(Map.of(
                            "dataAccountType",
                            STRING,
                            "blobFilterDetails",
                            fields(Map.of(
                                    "blobPrefixList", STRINGS, "blobPathList", STRINGS, "containerList", STRINGS)),
                            "azureFileFilterDetails",
                            fields(Map.of(
                                    "filePrefixList", STRINGS, "filePathList", STRINGS, "fileShareList", STRINGS)),
                            "filterFileDetails",
                            new ArrayOf(fields(Map.of("filterFileType", STRING, "filterFilePath", STRING))))))),
            "transferAllDetails",
            fields(Map.of(
                    "include",
                    fields(Map.of(
                            "dataAccountType", STRING, "transferAllBlobs", BOOLEAN, "transferAllFiles", BOOLEAN))))));

    /**
     * DataBoxJobDetails (JobDetails and its own properties but devicePassword, which is refused) with
     * UpdateJobDetails' returnToCustomerPackageDetails.
     */
    private static final ObjectOf DETAILS = fields(Map.ofEntries(
            entry("jobDetailsType", STRING),
            entry(
                    "contactDetails",
                    fields(union(
                            CONTACT_INFO,
                            Map.of(
                                    "emailList",
                                    STRINGS,
                                    "notificationPreference",
                                    new ArrayOf(new ObjectOf(
                                            Map.of("stageName", STRING, "sendNotification", BOOLEAN),
                                            Set.of("stageName", "sendNotification"))))))),
            entry("shippingAddress", SHIPPING_ADDRESS),
            entry(
                    "dataImportDetails",
                    new ArrayOf(fields(Map.of("accountDetails", DATA_ACCOUNT, "logCollectionLevel", STRING)))),
            entry(
                    "dataExportDetails",
                    new ArrayOf(fields(Map.of(
                            "transferConfiguration", TRANSFER_CONFIGURATION,
                            "logCollectionLevel", STRING,
                            "accountDetails", DATA_ACCOUNT)))),
            entry(
                    "preferences",
                    fields(Map.of(
                            "preferredDataCenterRegion", STRINGS,
                            "transportPreferences", TRANSPORT_PREFERENCES,
                            "reverseTransportPreferences", TRANSPORT_PREFERENCES,
                            "encryptionPreferences",
                                    fields(Map.of("doubleEncryption", STRING, "hardwareEncryption", STRING)),
                            "storageAccountAccessTierPreferences", STRINGS))),
            entry(
                    "reverseShippingDetails",
                    fields(Map.of(
                            "contactDetails",
                            fields(CONTACT_INFO),
                            "shippingAddress",
                            SHIPPING_ADDRESS,
                            "isUpdated",
                            NotStored.READ_ONLY))),
            entry(
                    "keyEncryptionKey",
                    fields(Map.of(
                            "kekType", STRING,
                            "identityProperties",
                                    fields(Map.of(
                                            "type", STRING, "userAssigned", fields(Map.of("resourceId", STRING)))),
                            "kekUrl", STRING,
                            "kekVaultResourceID", STRING))),
            entry("expectedDataSizeInTeraBytes", Scalar.INT32),
            // The name in 2020-11-01's Python client (Debian's python3-azure), which sends and reads it so.
            entry("expectedDataSizeInTerabytes", Scalar.INT32),
            entry(
                    "returnToCustomerPackageDetails",
                    fields(Map.of(
                            "carrierAccountNumber", NotStored.SECRET, "carrierName", STRING, "trackingId", STRING))),
            // DataBoxCustomerDisk's, named only for its secret: kept as given, its BitLocker keys were answered.
            entry(
                    "importDiskDetailsCollection",
                    new MapOf(fields(Map.of(
                            "manifestFile",
                            STRING,
                            "manifestHash",
                            STRING,
                            "bitLockerKey",
                            NotStored.SECRET,
                            "backupManifestCloudPath",
                            NotStored.READ_ONLY))))));

    /** JobProperties as a request sends them (its read-only properties are {@link #READ_ONLY_PROPERTIES}). */
    private static final ObjectOf PROPERTIES = fields(Map.of(
            "transferType", STRING,
            "deliveryType", STRING,
            "deliveryInfo", fields(Map.of("scheduledDateTime", STRING)),
            "details", DETAILS));

    /**
     * Stored job properties as answered, and as a PATCH is merged into: without a secret, nor a value not
     * of the spec's type, that a job stored before secrets were dropped and types checked (2026-12-05)
     * may hold; the SDKs refuse to read a job with one.
     */
    static ObjectNode answerable(ObjectNode properties) {
        return (ObjectNode) typed(properties, PROPERTIES, "properties", false);
    }

    /**
     * A copy of {@code node} without what {@code type} does not store; with {@code check}, what is not of
     * its type is refused ({@code 400 InvalidRequestContent}, the JSON path of the property as target).
     * Without (what was stored before), what is not of its type is left out: Java's {@code null} for
     * {@code node} itself. {@code null} is of every type, but an array's item is refused as one.
     */
    private static JsonNode typed(JsonNode node, SpecType type, String at, boolean check) {
        if (node.isNull()) {
            return node;
        }
        return switch (type) {
            case Scalar scalar -> {
                if (scalar.accepts(node)) {
                    yield node.deepCopy();
                }
                if (check) {
                    throw wrongType(at, scalar.one);
                }
                yield null;
            }
            case ArrayOf array -> {
                if (!(node instanceof ArrayNode items)) {
                    if (check) {
                        throw wrongType(at, "an array of " + many(array.items()));
                    }
                    yield null;
                }
                ArrayNode copy = JsonNodeFactory.instance.arrayNode(items.size());
                for (int i = 0; i < items.size(); i++) {
                    if (check && items.get(i).isNull()) {
                        // A member may be null (left out); an item of an array may not (since 2026-12-06: stored).
                        throw wrongType(at + "[" + i + "]", "one of " + many(array.items()) + ", not null");
                    }
                    JsonNode item = typed(items.get(i), array.items(), at + "[" + i + "]", check);
                    if (item != null) {
                        copy.add(item);
                    }
                }
                yield copy;
            }
            case MapOf map -> {
                Map<String, SpecType> properties = new HashMap<>();
                node.fieldNames().forEachRemaining(name -> properties.put(name, map.values()));
                yield typedObject(node, properties, Set.of(), at, check);
            }
            case ObjectOf object -> typedObject(node, object.properties(), object.required(), at, check);
            case OneOf oneOf -> {
                JsonNode named = node.get(oneOf.discriminator());
                String variant = named == null || !named.isTextual()
                        ? null
                        : oneOf.variants().keySet().stream()
                                .filter(v -> v.equalsIgnoreCase(named.asText().trim()))
                                .findFirst()
                                .orElse(null);
                Map<String, SpecType> properties = new HashMap<>();
                (variant == null
                                ? oneOf.variants().values()
                                : List.of(oneOf.variants().get(variant)))
                        .forEach(properties::putAll);
                properties.putAll(oneOf.base());
                JsonNode copy = typedObject(node, properties, Set.of(), at, check);
                if (check && variant != null) {
                    ((ObjectNode) copy).put(oneOf.discriminator(), variant);
                }
                yield copy;
            }
            case NotStored notStored -> throw new IllegalArgumentException("Its object leaves it out: " + at);
        };
    }

    private static JsonNode typedObject(
            JsonNode node, Map<String, SpecType> properties, Set<String> required, String at, boolean check) {
        if (!(node instanceof ObjectNode object)) {
            if (check) {
                throw wrongType(at, "a JSON object");
            }
            return null;
        }
        if (check) {
            for (String name : required) {
                if (!object.hasNonNull(name)) {
                    throw JobException.invalid("'" + at + "." + name + "' is required.", at + "." + name);
                }
            }
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        object.properties().forEach(field -> {
            String name = field.getKey();
            SpecType type = properties.get(name);
            String path = at + "." + (name.length() > 60 ? name.substring(0, 60) + "…" : name);
            if (type == NotStored.SECRET) {
                if (check) {
                    typed(field.getValue(), Scalar.STRING, path, true);
                }
            } else if (type == NotStored.READ_ONLY) {
                if (!check) {
                    copy.set(name, field.getValue().deepCopy());
                }
            } else {
                JsonNode value =
                        type == null ? field.getValue().deepCopy() : typed(field.getValue(), type, path, check);
                if (value != null) {
                    copy.set(name, value);
                }
            }
        });
        return copy;
    }

    private static String many(SpecType type) {
        return switch (type) {
            case Scalar scalar -> scalar.many;
            case ArrayOf array -> "arrays";
            default -> "JSON objects";
        };
    }

    private static JobException wrongType(String at, String type) {
        return JobException.invalid("'" + at + "' must be " + type + ".", at);
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

    /** A string; with {@code values}, one of them ignoring case, answered in the spec's case (a refusal lists them in order). */
    private static String string(JsonNode node, String at, boolean required, List<String> values) {
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
                    "'" + UserAssignedIdentityId.abbreviate(resourceId) + "' is not the resource ID of a user-assigned "
                            + "identity (/subscriptions/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/…).",
                    at);
        }
    }
}
