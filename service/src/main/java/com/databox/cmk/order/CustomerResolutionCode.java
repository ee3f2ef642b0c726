package com.databox.cmk.order;

import com.databox.cmk.error.ServiceException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a customer asks of an order waiting for a customer action ({@code mitigate}): Data Box's customer resolution
 * codes, by their names on the wire. Only {@link #RESUME} acts on an order held for its key; the others are Data
 * Box's for a device's other holds, which the jobs API reads and refuses.
 */
public enum CustomerResolutionCode {
    NONE("None"),
    MOVE_TO_CLEAN_UP_DEVICE("MoveToCleanUpDevice"),
    RESUME("Resume"),
    RESTART("Restart"),
    REACH_OUT_TO_OPERATION("ReachOutToOperation");

    private final String wireName;

    CustomerResolutionCode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** As Data Box reads a code: its name in any case; empty for anything else, null included. */
    public static Optional<CustomerResolutionCode> parse(String given) {
        return Arrays.stream(values())
                .filter(code -> code.wireName.equalsIgnoreCase(given))
                .findFirst();
    }

    /** The codes' names on the wire, in the order Data Box lists them. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(CustomerResolutionCode::wireName).toList();
    }

    /** Refuses every code but {@code Resume}, the only one that acts on an order held for its key. */
    public void requireResume() {
        if (this != RESUME) {
            throw notResume();
        }
    }

    /** The refusal of a code that is not {@code Resume}, or of none. */
    public static ServiceException notResume() {
        return ServiceException.invalidRequest(
                "'customerResolutionCode' must be Resume (the key was fixed; run the checks again and continue).",
                "customerResolutionCode");
    }
}
