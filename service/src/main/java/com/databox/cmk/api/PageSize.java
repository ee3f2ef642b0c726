package com.databox.cmk.api;

import java.util.OptionalInt;
import java.util.regex.Pattern;

/** How many items a page of a listing holds, as both surfaces read it ({@code top}, {@code $top}). */
public final class PageSize {
    public static final int DEFAULT = 100;
    public static final int MAX = 1000;
    // Compiled once: every listing's page size is read with it.
    private static final Pattern ASCII_DIGITS = Pattern.compile("[0-9]+");

    private PageSize() {}

    /**
     * The page size {@code text} asks for, {@link #DEFAULT} when absent; empty when it is not one. Only ASCII
     * digits are a number here (leading zeros taken): {@link Integer#parseInt} also took a sign and any
     * Unicode digit ({@code +5}, {@code ١}, {@code ５}).
     */
    public static OptionalInt parse(String text) {
        if (text == null) {
            return OptionalInt.of(DEFAULT);
        }
        if (!ASCII_DIGITS.matcher(text).matches()) {
            return OptionalInt.empty();
        }
        try {
            int value = Integer.parseInt(text);
            return value >= 1 && value <= MAX ? OptionalInt.of(value) : OptionalInt.empty();
        } catch (NumberFormatException notANumber) {
            return OptionalInt.empty();
        }
    }

    /** The refusal's message for a parameter that is not a page size. */
    public static String rule(String parameter) {
        return "'" + parameter + "' must be a whole number from 1 to " + MAX + ".";
    }
}
