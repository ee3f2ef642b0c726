package com.databox.cmk.storage;

import java.util.regex.Pattern;

/**
 * Table and Queue Storage's rules for the names the service is configured with: a name Storage refuses started the
 * app, which then answered every request that needed it with Storage's {@code 400} (bug bash bb95 M4).
 */
public final class StorageNames {
    /** Lower-case letters, digits and single hyphens, starting and ending with a letter or digit. */
    static final Pattern QUEUE_LABELS = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private static final Pattern TABLE = Pattern.compile("[A-Za-z][A-Za-z0-9]{2,62}");
    /** Queue Storage's 63 characters less the host's {@code -poison} queue's suffix. */
    private static final int MAX_QUEUE_WITH_POISON = 63 - "-poison".length();

    private StorageNames() {}

    public static void requireTableName(String setting, String name) {
        if (name == null || !TABLE.matcher(name).matches() || name.equalsIgnoreCase("tables")) {
            throw new IllegalArgumentException(setting + " must be 3 to 63 letters and digits, starting with a letter,"
                    + " as Table Storage requires, not '" + name + "'");
        }
    }

    /** A queue whose messages the Functions host moves to {@code <name>-poison} after their last delivery. */
    public static void requireQueueNameWithPoison(String setting, String name) {
        if (name == null
                || name.length() < 3
                || name.length() > MAX_QUEUE_WITH_POISON
                || !QUEUE_LABELS.matcher(name).matches()) {
            throw new IllegalArgumentException(setting + " must be 3 to " + MAX_QUEUE_WITH_POISON
                    + " lower-case letters, digits and single hyphens, starting and ending with a letter or digit"
                    + " (Queue Storage's rule, with room for the host's '-poison' queue), not '" + name + "'");
        }
    }
}
