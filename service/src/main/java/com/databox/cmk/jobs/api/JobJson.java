package com.databox.cmk.jobs.api;

import com.databox.cmk.jobs.JobCaller;
import com.databox.cmk.jobs.JobDocuments;
import com.databox.cmk.jobs.JobOperation;
import com.databox.cmk.jobs.JobRecord;
import com.databox.cmk.jobs.JobView;
import com.databox.cmk.order.KekWait;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.Stage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The JobResource of the spec: {@code id, name, type, location, tags, sku, identity, systemData,
 * properties}. {@code properties} is what the caller stored, unchanged, with what the service
 * computes laid over it: {@code status} (the order's stage), the {@code is…} flags and
 * {@code startTime}; {@code properties.details} only with {@code $expand=details}, then with
 * {@code keyEncryptionKey}. Never the device password or the wrapped unlock key, nor a secret
 * of the details (a share password: see {@link JobRequests#answerable}).
 */
final class JobJson {
    static final String TYPE = "Microsoft.DataBox/jobs";

    private final ObjectMapper json;

    JobJson(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The job; with {@code properties.details} when {@code detailsVersion} (the api-version asked for) is not
     * null. An order held for its key shows as ARM shows a job waiting for its customer: the job's
     * {@code properties.error} (code, message, the resolution in {@code additionalInfo}) and, in the details,
     * its stage's {@code stageStatus} as that api-version names the wait.
     */
    ObjectNode job(JobView view, String detailsVersion) {
        JobRecord record = view.record();
        Order order = view.order();
        ObjectNode job = json.createObjectNode();
        job.put("id", record.key().resourceId());
        job.put("name", record.key().name());
        job.put("type", TYPE);
        job.put("location", order.location());
        job.set("tags", record.tags() == null ? json.createObjectNode() : parse(record.tags()));
        job.set("sku", parse(record.sku()));
        job.set("identity", identity(order.identity()));
        job.set("systemData", systemData(record));
        // Never a secret the spec says is not returned, nor a value an SDK cannot read, even in a job stored
        // before they were dropped.
        ObjectNode properties = record.properties() == null
                ? json.createObjectNode()
                : JobRequests.answerable((ObjectNode) parse(record.properties()));
        ObjectNode details = properties.remove("details") instanceof ObjectNode stored ? stored : null;
        // The spec's default, as ARM answers a job created without it (since 2026-12-06: left out, read as None).
        if (!properties.hasNonNull("deliveryType")) {
            properties.put("deliveryType", JobDocuments.DEFAULT_DELIVERY_TYPE);
        }
        Stage stage = order.stage();
        properties.put("status", stage.name());
        properties.put("isCancellable", stage.isCancellable());
        properties.put("isDeletable", stage.isDeletable());
        properties.put("isShippingAddressEditable", stage == Stage.DeviceOrdered);
        properties.put("isPrepareToShipEnabled", false);
        properties.put("isCancellableWithoutFee", stage == Stage.DeviceOrdered);
        properties.put("startTime", started(view).toString());
        KekWait wait = order.kekWait();
        if (wait != null) {
            properties.set(
                    "error",
                    ArmErrors.body(wait.errorCode().name(), wait.message(), JobRequests.KEK, wait.resolutionText())
                            .get("error"));
        }
        if (detailsVersion != null) {
            details = details == null ? json.createObjectNode() : details;
            // The SDKs pick the details' class by this discriminator: answered as the spec spells it, always.
            details.put("jobDetailsType", "DataBox");
            details.set("jobStages", stages(view, detailsVersion));
            details.set("keyEncryptionKey", keyEncryptionKey(order.protection()));
            properties.set("details", details);
        }
        job.set("properties", properties);
        return job;
    }

    /**
     * The job's stage as the spec's JobStages: the one it is in, and how it stands. A wait for the key is
     * {@code WaitingForCustomerActionForKek} from 2022-12-01 on, and {@code WaitingForCustomerAction} in
     * 2020-11-01, whose StageStatus has no value of its own for it.
     */
    private ArrayNode stages(JobView view, String apiVersion) {
        Order order = view.order();
        ArrayNode stages = json.createArrayNode();
        ObjectNode stage = stages.addObject();
        stage.put("stageName", order.stage().name());
        stage.put("stageStatus", stageStatus(order, apiVersion));
        KekWait wait = order.kekWait();
        Instant reached = wait != null
                ? wait.since()
                : order.stageSince().equals(order.createdAt()) ? started(view) : order.stageSince();
        stage.put("stageTime", reached.toString());
        return stages;
    }

    /**
     * When the job started: when it was created, its {@code systemData.createdAt}. Its order is made a moment later
     * with a clock reading of its own, which the job answered as its start, after its creation (bug bash bb81 F2).
     */
    private static Instant started(JobView view) {
        Instant created = view.record().createdAt();
        return created != null ? created : view.order().createdAt();
    }

    private static String stageStatus(Order order, String apiVersion) {
        if (order.kekWait() != null) {
            return ApiVersions.V2020_11_01.equals(apiVersion) ? "WaitingForCustomerAction" : KekWait.STAGE_STATUS;
        }
        return switch (order.stage()) {
            case Completed -> "Succeeded";
            case CompletedWithErrors -> "SucceededWithErrors";
            case CompletedWithWarnings -> "SucceededWithWarnings";
            case Cancelled -> "Cancelled";
            case Aborted -> "Failed";
            default -> "InProgress";
        };
    }

    ObjectNode keyEncryptionKey(KeyProtection protection) {
        ObjectNode node = json.createObjectNode();
        node.put("kekType", protection.kekType());
        if (protection instanceof KeyProtection.CustomerManaged customer) {
            KeyIdentity identity = customer.keyIdentity();
            ObjectNode properties = node.putObject("identityProperties");
            properties.put("type", identity.type());
            if (identity instanceof KeyIdentity.UserAssigned user) {
                properties.putObject("userAssigned").put("resourceId", user.id().value());
            }
            node.put("kekUrl", customer.keyUrl().keyId());
            if (customer.vault() != null) {
                node.put("kekVaultResourceID", customer.vault().value());
            }
        }
        return node;
    }

    private ObjectNode identity(OrderIdentity identity) {
        ObjectNode node = json.createObjectNode();
        node.put("type", identity.type());
        if (identity.systemAssigned() != null) {
            node.put("principalId", identity.systemAssigned().principalId());
            node.put("tenantId", identity.systemAssigned().tenantId());
        }
        if (!identity.userAssigned().isEmpty()) {
            ObjectNode users = node.putObject("userAssignedIdentities");
            identity.userAssigned()
                    .forEach((id, user) -> users.putObject(id.value())
                            .put("principalId", user.principalId())
                            .put("clientId", user.clientId()));
        }
        return node;
    }

    private ObjectNode systemData(JobRecord record) {
        ObjectNode node = json.createObjectNode();
        caller(node, "created", record.createdBy(), record.createdAt());
        caller(node, "lastModified", record.lastModifiedBy(), record.lastModifiedAt());
        return node;
    }

    private static void caller(ObjectNode node, String prefix, JobCaller caller, Instant at) {
        if (caller != null && caller.actor() != null) {
            String actor = caller.actor();
            node.put(prefix + "By", actor.substring(actor.indexOf(':') + 1));
            node.put(prefix + "ByType", caller.type());
        }
        if (at != null) {
            node.put(prefix + "At", at.toString());
        }
    }

    /** ARM's operation-status resource (Azure-AsyncOperation). */
    ObjectNode operation(JobOperation operation, String statusPath) {
        ObjectNode node = json.createObjectNode();
        node.put("id", statusPath);
        node.put("name", operation.id());
        node.put("status", operation.status());
        node.put("startTime", operation.startTime().toString());
        if (operation.endTime() != null) {
            node.put("endTime", operation.endTime().toString());
        }
        node.put("percentComplete", "Succeeded".equals(operation.status()) ? 100.0 : 0.0);
        if (operation.errorCode() != null) {
            node.putObject("error").put("code", operation.errorCode()).put("message", operation.errorMessage());
        }
        return node;
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored job field is not JSON", e);
        }
    }
}
