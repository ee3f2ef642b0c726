package com.databox.cmk.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.Objects;

/**
 * Whether a job's stored JSON (its tags, SKU and properties) and a request's describe the same values: a PUT that
 * describes the job as it is answers the job. Compared as JSON values, not text: an object's members in another
 * order are the same object (a GET's answer sent back, a template), and a job stored before its properties held
 * the default {@code deliveryType} is answered with it, so has it (bug bash of 2026-12-06, upgrades F1 and F2:
 * such PUTs answered {@code 409 JobAlreadyExists}).
 */
public final class JobDocuments {
    /** The spec's default, as ARM answers a job created without it; stored with every job since 2026-12-06. */
    public static final String DEFAULT_DELIVERY_TYPE = "NonScheduled";

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobDocuments() {}

    /** Tags: the same JSON value, none and an empty object alike (a job's answer shows {@code {}} for either). */
    static boolean sameTags(String stored, String asked) {
        return sameValue(stored == null ? "{}" : stored, asked == null ? "{}" : asked);
    }

    /** A SKU: the same JSON value (both absent too). */
    static boolean sameValue(String stored, String asked) {
        return Objects.equals(stored, asked) || same(tree(stored), tree(asked));
    }

    /**
     * Whether the stored JSON object has each member of {@code asked} with the same value, one sent {@code null} as
     * none (a PATCH of members it keeps: the members it leaves out are the job's).
     */
    static boolean holds(String stored, String asked) {
        Object storedTree = tree(stored);
        if (!(tree(asked) instanceof ObjectNode askedObject)) {
            return false;
        }
        ObjectNode storedObject = storedTree instanceof ObjectNode object ? object : JSON.createObjectNode();
        return askedObject.properties().stream().allMatch(member -> {
            JsonNode has = storedObject.get(member.getKey());
            return member.getValue().isNull()
                    ? has == null || has.isNull()
                    : has != null && same(has, member.getValue());
        });
    }

    /** A stored JSON object's text member; null when it has none, or none that is text. */
    static String text(String stored, String member) {
        return tree(stored) instanceof ObjectNode object
                        && object.get(member) instanceof JsonNode value
                        && value.isTextual()
                ? value.asText()
                : null;
    }

    /** Properties: the same JSON value once the stored one has the default delivery type it is answered with. */
    static boolean sameProperties(String stored, String asked) {
        if (Objects.equals(stored, asked)) {
            return true;
        }
        Object storedTree = tree(stored);
        if (storedTree instanceof ObjectNode properties && !properties.hasNonNull("deliveryType")) {
            properties.put("deliveryType", DEFAULT_DELIVERY_TYPE);
        }
        return same(storedTree, tree(asked));
    }

    /** JSON values are equal as JSON: {@code 1} and {@code 1.0} are one number. */
    private static boolean same(Object stored, Object asked) {
        if (stored instanceof JsonNode storedNode && asked instanceof JsonNode askedNode) {
            return storedNode.equals(NUMBERS_BY_VALUE, askedNode);
        }
        return Objects.equals(stored, asked);
    }

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    /** Null for none; text that is not JSON (never stored by this service) is compared as itself. */
    private static Object tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException notJson) {
            return text;
        }
    }
}
