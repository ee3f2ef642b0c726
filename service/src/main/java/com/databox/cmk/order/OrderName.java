package com.databox.cmk.order;

import com.databox.cmk.error.ServiceException;
import java.util.regex.Pattern;

/** A Data Box order (job) name: 3 to 24 letters, digits or hyphens, starting and ending with a letter or digit. */
public record OrderName(String value) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{1,22}[A-Za-z0-9]");

    public OrderName {
        if (value == null || !VALID.matcher(value).matches()) {
            throw ServiceException.invalidRequest(
                    "The order name must be 3 to 24 letters, digits or hyphens, starting and ending with a letter or digit.",
                    "orderName");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
