package com.databox.cmk.emulator.keyvault;

import com.databox.cmk.emulator.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A key's rotation policy as Key Vault stores it: lifetime actions ({@code Rotate} or {@code Notify}, triggered
 * {@code timeAfterCreate} or {@code timeBeforeExpiry}, ISO-8601 durations) and {@code expiryTime}, the lifetime a
 * rotated version gets. The emulator keeps and answers the policy and applies {@code expiryTime} on rotate; it
 * has no clock that rotates keys by itself.
 */
record RotationPolicy(List<LifetimeAction> actions, String expiryTime, Instant created, Instant updated) {

    record LifetimeAction(String type, String timeAfterCreate, String timeBeforeExpiry) {}

    /** What Key Vault answers for a key without a policy: notify 30 days before expiry. */
    static final RotationPolicy DEFAULT =
            new RotationPolicy(List.of(new LifetimeAction("Notify", null, "P30D")), null, null, null);

    /** Parses a PUT body; {@code current} (may be null) gives the creation time. */
    static RotationPolicy parse(JsonNode body, RotationPolicy current, Instant now) {
        List<LifetimeAction> actions = new ArrayList<>();
        for (JsonNode action : body.path("lifetimeActions")) {
            String type = action.path("action").path("type").asText("");
            String normalized = switch (type.toLowerCase(Locale.ROOT)) {
                case "rotate" -> "Rotate";
                case "notify" -> "Notify";
                default ->
                    throw DataPlaneErrors.badParameter(
                            "The lifetime action type '" + type + "' is invalid; use Rotate or Notify.");
            };
            String afterCreate = Json.text(action.path("trigger"), "timeAfterCreate");
            String beforeExpiry = Json.text(action.path("trigger"), "timeBeforeExpiry");
            if ((afterCreate == null) == (beforeExpiry == null)) {
                throw DataPlaneErrors.badParameter(
                        "A lifetime action's trigger needs exactly one of timeAfterCreate and timeBeforeExpiry.");
            }
            duration(afterCreate != null ? afterCreate : beforeExpiry);
            actions.add(new LifetimeAction(normalized, afterCreate, beforeExpiry));
        }
        String expiryTime = Json.text(body.path("attributes"), "expiryTime");
        if (expiryTime != null && duration(expiryTime).compareTo(Duration.ofDays(28)) < 0) {
            throw DataPlaneErrors.badParameter("The expiryTime of a rotation policy must be at least 28 days (P28D).");
        }
        return new RotationPolicy(
                actions, expiryTime, current == null || current.created() == null ? now : current.created(), now);
    }

    /** An ISO-8601 duration such as {@code P90D}, {@code P1Y2M} or {@code PT12H}, from {@code now}. */
    static Duration duration(String iso) {
        try {
            if (iso.contains("T")) {
                return Duration.parse(iso);
            }
            Instant now = Instant.now();
            return Duration.between(
                    now, now.atOffset(ZoneOffset.UTC).plus(Period.parse(iso)).toInstant());
        } catch (DateTimeParseException e) {
            throw DataPlaneErrors.badParameter("'" + iso + "' is not an ISO-8601 duration.");
        }
    }

    ObjectNode json(String id) {
        ObjectNode node = Json.object().put("id", id);
        ArrayNode list = node.putArray("lifetimeActions");
        for (LifetimeAction action : actions) {
            ObjectNode item = list.addObject();
            ObjectNode trigger = item.putObject("trigger");
            if (action.timeAfterCreate() != null) {
                trigger.put("timeAfterCreate", action.timeAfterCreate());
            }
            if (action.timeBeforeExpiry() != null) {
                trigger.put("timeBeforeExpiry", action.timeBeforeExpiry());
            }
            item.putObject("action").put("type", action.type());
        }
        ObjectNode attributes = node.putObject("attributes");
        if (expiryTime != null) {
            attributes.put("expiryTime", expiryTime);
        }
        if (created != null) {
            attributes.put("created", created.getEpochSecond());
            attributes.put("updated", updated.getEpochSecond());
        }
        return node;
    }
}
