package com.databox.cmk.unlockkey;

import com.databox.cmk.error.ServiceException;
import java.security.SecureRandom;

/**
 * The device password rules of Data Box: 12 to 64 characters, at least one upper-case letter,
 * one digit and one special character, and none of the look-alikes {@code I i l L o O 0}.
 * Every generated password meets them; a password a customer supplies is checked against them.
 * Messages never quote the password.
 */
public final class DevicePasswords {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 64;
    static final int GENERATED_LENGTH = 24;
    private static final String FORBIDDEN = "IilLoO0";
    private static final String UPPER = without("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    private static final String LOWER = without("abcdefghijklmnopqrstuvwxyz");
    private static final String DIGITS = without("0123456789");
    private static final String SPECIAL = "!#$%&*+-=?@^_~";
    private static final String ALL = UPPER + LOWER + DIGITS + SPECIAL;

    private DevicePasswords() {}

    /** A new password that meets every rule: one of each required kind, the rest from all kinds, shuffled. */
    public static byte[] generate(SecureRandom random) {
        char[] password = new char[GENERATED_LENGTH];
        password[0] = pick(UPPER, random);
        password[1] = pick(DIGITS, random);
        password[2] = pick(SPECIAL, random);
        for (int i = 3; i < password.length; i++) {
            password[i] = pick(ALL, random);
        }
        for (int i = password.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            char t = password[i];
            password[i] = password[j];
            password[j] = t;
        }
        byte[] bytes = new byte[password.length];
        for (int i = 0; i < password.length; i++) {
            bytes[i] = (byte) password[i];
            password[i] = 0;
        }
        return bytes;
    }

    /** @throws ServiceException {@code InvalidRequest} naming the rule the password breaks, never the password */
    public static void requireValid(CharSequence password) {
        String rule = brokenRule(password);
        if (rule != null) {
            throw ServiceException.invalidRequest("The device password " + rule + ".", "devicePassword");
        }
    }

    /** The rule {@code password} breaks, as the end of a sentence; null when it meets them all. */
    public static String brokenRule(CharSequence password) {
        if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            return "must have " + MIN_LENGTH + " to " + MAX_LENGTH + " characters";
        }
        boolean upper = false;
        boolean digit = false;
        boolean special = false;
        for (int i = 0; i < password.length(); i++) {
            char c = password.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return "may hold printable ASCII characters only, without spaces";
            }
            if (FORBIDDEN.indexOf(c) >= 0) {
                return "must not contain any of I, i, l, L, o, O or 0 (they are easily confused)";
            }
            upper |= c >= 'A' && c <= 'Z';
            digit |= c >= '0' && c <= '9';
            special |= !Character.isLetterOrDigit(c);
        }
        if (!upper) {
            return "must contain at least one upper-case letter";
        }
        if (!digit) {
            return "must contain at least one digit";
        }
        if (!special) {
            return "must contain at least one special character";
        }
        return null;
    }

    private static char pick(String from, SecureRandom random) {
        return from.charAt(random.nextInt(from.length()));
    }

    private static String without(String letters) {
        StringBuilder kept = new StringBuilder();
        letters.chars().filter(c -> FORBIDDEN.indexOf(c) < 0).forEach(c -> kept.append((char) c));
        return kept.toString();
    }
}
