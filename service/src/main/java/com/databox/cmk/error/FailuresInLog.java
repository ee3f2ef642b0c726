package com.databox.cmk.error;

import java.util.regex.Pattern;

/**
 * A failure as a log line shows it: one stack, not one a retry, and no query's values. The SDKs' retry policies
 * (azure-core's, Storage's) add each failed try to the last as a suppressed exception, and Reactor's {@code block()}
 * adds its caller's stack: one managed-identity refusal logged 108 lines, one queue message that could not be
 * deleted 95, its pop receipt three times (bug bash ob1 F3). A pop receipt lets whoever holds it delete or change
 * the message, as a SAS's {@code sig} grants what it signs: a query's values are never logged, its names are.
 */
public final class FailuresInLog {
    /** A query parameter's value in a URL a message names: {@code ?popreceipt=…}, {@code &sig=…}. */
    private static final Pattern QUERY_VALUE = Pattern.compile("([?&][A-Za-z0-9_.~-]+=)[^&#\\s\"'<>]+");

    private static final int MAX_CAUSES = 16;

    private FailuresInLog() {}

    /**
     * A copy of {@code failure} to log: each throwable of its cause chain with its own class name, message (its
     * query values left out) and frames, and none of its suppressed ones; null for null.
     */
    public static Throwable trimmed(Throwable failure) {
        return trimmed(failure, 0);
    }

    private static Throwable trimmed(Throwable failure, int depth) {
        if (failure == null || depth >= MAX_CAUSES) {
            return null;
        }
        Throwable cause = failure.getCause() == failure ? null : trimmed(failure.getCause(), depth + 1);
        Trimmed copy = new Trimmed(failure.getClass().getName(), withoutQueryValues(failure.getMessage()), cause);
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    /**
     * {@code failure} in one line, for a failure whose frames tell nothing its message does not (an outage, a known
     * answer): {@code Class: message} of the first throwable that says more than its cause (a wrapper's message is
     * its cause's), then the innermost cause's when the message does not hold it already; query values left out,
     * control characters as spaces, at most {@value #MAX_DESCRIBED} characters each.
     */
    public static String described(Throwable failure) {
        Throwable shown = failure;
        for (int depth = 0; depth < MAX_CAUSES && wraps(shown); depth++) {
            shown = shown.getCause();
        }
        Throwable root = shown;
        for (int depth = 0; depth < MAX_CAUSES && root.getCause() != null && root.getCause() != root; depth++) {
            root = root.getCause();
        }
        String message = oneLine(shown.getMessage());
        String rootMessage = oneLine(root.getMessage());
        String described = shown.getClass().getSimpleName() + ": " + message;
        return root == shown || message.contains(rootMessage)
                ? described
                : described + " (" + root.getClass().getSimpleName() + ": " + rootMessage + ")";
    }

    private static final int MAX_DESCRIBED = 500;

    /** Whether {@code failure} only wraps its cause: no message, or the one a wrapper gets by default. */
    private static boolean wraps(Throwable failure) {
        Throwable cause = failure.getCause();
        return cause != null
                && cause != failure
                && (failure.getMessage() == null || failure.getMessage().equals(cause.toString()));
    }

    private static String oneLine(String message) {
        String line = withoutQueryValues(String.valueOf(message)).replaceAll("[\\p{Cntrl}\\s]+", " ");
        return line.length() > MAX_DESCRIBED ? line.substring(0, MAX_DESCRIBED) + "…" : line;
    }

    /** {@code text} with each URL query parameter's value as {@code …}; null for null. */
    public static String withoutQueryValues(String text) {
        return text == null ? null : QUERY_VALUE.matcher(text).replaceAll("$1…");
    }

    /** Reads as the throwable it copies (the log's stack trace prints its {@code toString()}), without what it carried. */
    private static final class Trimmed extends RuntimeException {
        private final String className;

        Trimmed(String className, String message, Throwable cause) {
            super(message, cause, false, true);
            this.className = className;
        }

        @Override
        public String toString() {
            String message = getLocalizedMessage();
            return message == null ? className : className + ": " + message;
        }
    }
}
