package com.databox.cmk.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /** Tags or SKU: the same JSON value (both absent too). */
    static boolean sameValue(String stored, String asked) {
        return Objects.equals(stored, asked) || Objects.equals(tree(stored), tree(asked));
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
        return Objects.equals(storedTree, tree(asked));
    }

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
