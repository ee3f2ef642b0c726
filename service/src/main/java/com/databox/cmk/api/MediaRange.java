package com.databox.cmk.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A media type or media range as RFC 9110 writes them (8.3.1, 12.5.1): {@code type/subtype}, then
 * parameters, each after optional white space and a semicolon, whose values may be quoted strings.
 * Type, subtype and parameter names are case-insensitive and kept in lower case.
 */
record MediaRange(String type, String subtype, Map<String, String> parameters) {
    static final MediaRange JSON = new MediaRange("application", "json", Map.of());

    /** The type of a {@code Content-Type}, or of one member of an {@code Accept}; empty when it is not well formed. */
    static Optional<MediaRange> parse(String text) {
        Reader reader = new Reader(text);
        Optional<MediaRange> range = reader.range();
        reader.skipSpace();
        return reader.atEnd() ? range : Optional.empty();
    }

    /** The members of an {@code Accept} header; empty when any member is not well formed. */
    static Optional<List<MediaRange>> parseList(String text) {
        Reader reader = new Reader(text);
        List<MediaRange> ranges = new ArrayList<>();
        while (true) {
            reader.skipSpace();
            if (reader.take(',')) {
                continue; // RFC 9110, 5.6.1: empty list members are allowed, and ignored
            }
            if (reader.atEnd()) {
                return Optional.of(ranges);
            }
            Optional<MediaRange> range = reader.range();
            if (range.isEmpty()) {
                return Optional.empty();
            }
            ranges.add(range.get());
            reader.skipSpace();
            if (!reader.atEnd() && !reader.take(',')) {
                return Optional.empty();
            }
        }
    }

    boolean isJson() {
        return type.equals(JSON.type) && subtype.equals(JSON.subtype);
    }

    /** How specifically this range covers {@code mediaType}: 3 names it, 2 by its type ({@code type/*}), 1 as {@code *}/*, 0 not at all. */
    int specificityFor(MediaRange mediaType) {
        if (type.equals("*") && subtype.equals("*")) {
            return 1;
        }
        if (!type.equals(mediaType.type)) {
            return 0;
        }
        if (subtype.equals("*")) {
            return 2;
        }
        return subtype.equals(mediaType.subtype) ? 3 : 0;
    }

    /** Its weight, {@code q} (1 when absent; a malformed one is read as 1, as if absent). */
    double quality() {
        String q = parameters.get("q");
        if (q == null || !q.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
            return 1;
        }
        return Double.parseDouble(q);
    }

    Optional<String> charset() {
        return Optional.ofNullable(parameters.get("charset"));
    }

    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text == null ? "" : text;
        }

        Optional<MediaRange> range() {
            skipSpace();
            String type = token();
            if (type.isEmpty() || !take('/')) {
                return Optional.empty();
            }
            String subtype = token();
            if (subtype.isEmpty()) {
                return Optional.empty();
            }
            Map<String, String> parameters = new HashMap<>();
            while (true) {
                int before = at;
                skipSpace();
                if (!take(';')) {
                    at = before;
                    break;
                }
                skipSpace();
                String name = token();
                if (name.isEmpty()) {
                    continue; // "type/subtype;" and "a;;b" are tolerated, as most parsers do
                }
                if (!take('=')) {
                    return Optional.empty();
                }
                Optional<String> value = peek() == '"' ? quoted() : Optional.of(token());
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                parameters.putIfAbsent(name.toLowerCase(Locale.ROOT), value.get());
            }
            return Optional.of(new MediaRange(
                    type.toLowerCase(Locale.ROOT), subtype.toLowerCase(Locale.ROOT), Map.copyOf(parameters)));
        }

        private String token() {
            int start = at;
            while (at < text.length() && isTokenChar(text.charAt(at))) {
                at++;
            }
            return text.substring(start, at);
        }

        private Optional<String> quoted() {
            StringBuilder value = new StringBuilder();
            at++; // the opening quote
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return Optional.of(value.toString());
                }
                if (c == '\\' && at < text.length()) {
                    c = text.charAt(at++);
                }
                value.append(c);
            }
            return Optional.empty();
        }

        void skipSpace() {
            while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
                at++;
            }
        }

        boolean take(char expected) {
            if (peek() == expected) {
                at++;
                return true;
            }
            return false;
        }

        private char peek() {
            return at < text.length() ? text.charAt(at) : 0;
        }

        boolean atEnd() {
            return at >= text.length();
        }

        /** RFC 9110's tchar. */
        private static boolean isTokenChar(char c) {
            return (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }
}
