package com.databox.cmk.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of hostile input for the HTTP API: strings, path segments, JSON bodies (random
 * and mutated templates, raw bytes that are not UTF-8), key URLs, If-Match, {@code top} and
 * {@code $skipToken} values. {@link #draw} takes one value with a seeded {@link Random}, so that a
 * run is repeatable from its seed.
 */
final class HostileInputs {

    private static final int GEN_SIZE = 1000;

    private HostileInputs() {}

    static <T> T draw(Arbitrary<T> arbitrary, Random random) {
        return arbitrary.generator(GEN_SIZE).next(random).value();
    }

    /** Strings a client should never send: control characters, lone surrogates, injection, huge. */
    static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.strings().all().ofMaxLength(64)),
                net.jqwik.api.Tuple.of(
                        2,
                        Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(16)),
                net.jqwik.api.Tuple.of(
                        2,
                        Arbitraries.of(
                                "",
                                " ",
                                ".",
                                "..",
                                "../..",
                                "%2e%2e",
                                "%2F",
                                "a/b",
                                "\\",
                                "\u0000",
                                "null",
                                "true",
                                "{}",
                                "[]",
                                "'; DROP TABLE orders; --",
                                "<script>alert(1)</script>",
                                "${jndi:ldap://x}",
                                "\uD800",
                                "\uDFFF",
                                "\uFEFF",
                                "\u202E",
                                "e\u0301",
                                "😀",
                                "ｏｒｄｅｒ",
                                "ORDER-1",
                                "-",
                                "_",
                                "o" + "\u0000" + "x",
                                "PartitionKey eq 'x'",
                                "RowKey",
                                "$batch")),
                net.jqwik.api.Tuple.of(
                        1, Arbitraries.strings().alpha().ofMinLength(1000).ofMaxLength(20_000)),
                net.jqwik.api.Tuple.of(
                        1, Arbitraries.integers().between(1, 200_000).map("x"::repeat)));
    }

    /** Path segments for {orderName}: anything above, percent-encoded where the URI needs it, and raw tricks. */
    static Arbitrary<String> pathSegments() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, strings().filter(s -> !s.isEmpty()).map(HostileInputs::encodeSegment)),
                net.jqwik.api.Tuple.of(
                        2,
                        Arbitraries.of(
                                "%2F",
                                "a%2Fb",
                                "..%2F..%2Fadmin",
                                "%2e",
                                "%2e%2e",
                                "%2E%2E%2F",
                                ".",
                                "..",
                                "%00",
                                "%25",
                                "%C0%AE",
                                "%FF%FE",
                                "%E2%80%AE",
                                "a;b",
                                "a%3Bb",
                                "o%20o",
                                "%5C",
                                "~",
                                "o-",
                                "-o",
                                "o--o",
                                "O-UPPER",
                                "o.x",
                                "%2Fapi%2Forders")),
                net.jqwik.api.Tuple.of(
                        1, Arbitraries.integers().between(64, 5000).map(n -> "o" + "a".repeat(n))));
    }

    static String encodeSegment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }

    /** Any JSON value, nested up to {@code depth}, with hostile strings and odd numbers. */
    static Arbitrary<String> jsonValues(int depth) {
        Arbitrary<String> scalars = Arbitraries.oneOf(
                strings().map(HostileInputs::jsonString),
                Arbitraries.of(
                        "0",
                        "-0",
                        "1e400",
                        "-1e400",
                        "1.5",
                        "9999999999999999999999999999",
                        "true",
                        "false",
                        "null",
                        "NaN",
                        "Infinity",
                        "0x10",
                        "01"));
        if (depth <= 0) {
            return scalars;
        }
        Arbitrary<String> inner = Arbitraries.lazy(() -> jsonValues(depth - 1));
        Arbitrary<String> arrays = inner.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> objects = Combinators.combine(fieldNames(), inner)
                .as((k, v) -> jsonString(k) + ":" + v)
                .list()
                .ofMaxSize(4)
                .map(fields -> "{" + String.join(",", fields) + "}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, scalars),
                net.jqwik.api.Tuple.of(1, arrays),
                net.jqwik.api.Tuple.of(2, objects));
    }

    static Arbitrary<String> fieldNames() {
        return Arbitraries.oneOf(
                strings(),
                Arbitraries.of(
                        "location",
                        "identity",
                        "keyEncryptionKey",
                        "kekType",
                        "kekUrl",
                        "kekVaultResourceID",
                        "identityProperties",
                        "type",
                        "userAssigned",
                        "resourceId",
                        "userAssignedIdentities",
                        "stage",
                        "etag",
                        "name",
                        "__proto__",
                        "@class",
                        "devicePassword",
                        "wrappedKey"));
    }

    /** A JSON string literal, escaped as JSON requires (lone surrogates stay: they are the point). */
    static String jsonString(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Bodies as raw bytes: random JSON, deep nesting, broken syntax and bytes that are not UTF-8. */
    static Arbitrary<byte[]> randomBodies() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, jsonValues(3).map(HostileInputs::utf8)),
                net.jqwik.api.Tuple.of(
                        1, Arbitraries.integers().between(500, 50_000).map(n -> utf8("[".repeat(n) + "]".repeat(n)))),
                net.jqwik.api.Tuple.of(
                        1,
                        Arbitraries.integers()
                                .between(500, 50_000)
                                .map(n -> utf8("{\"a\":".repeat(n) + "1" + "}".repeat(n)))),
                net.jqwik.api.Tuple.of(
                        2, Arbitraries.bytes().array(byte[].class).ofMaxSize(256)),
                net.jqwik.api.Tuple.of(
                        1,
                        Arbitraries.of(
                                        "",
                                        "{",
                                        "}",
                                        "{\"location\":",
                                        "{\"location\":\"westus\"",
                                        "{\"location\":\"westus\",}",
                                        "{'location':'westus'}",
                                        "{\"location\":\"westus\"}{}",
                                        "\uFEFF{}",
                                        "/* c */ {}",
                                        "{\"location\":\"west\\uZZZZ\"}")
                                .map(HostileInputs::utf8)));
    }

    /** A valid-looking body for a route with one defect made in it; every result is invalid. */
    static Arbitrary<byte[]> mutated(String template) {
        Arbitrary<String> unknownField = Combinators.combine(
                        fieldNames().filter(n -> !template.contains("\"" + n + "\"")), jsonValues(2))
                .as((k, v) -> template.substring(0, template.length() - 1) + (template.length() > 2 ? "," : "")
                        + jsonString(k) + ":" + v + "}");
        Arbitrary<String> wrongValue = Combinators.combine(
                        Arbitraries.integers().between(0, 1000), jsonValues(2))
                .as((which, v) -> replaceAStringValue(template, which, v));
        Arbitrary<String> truncated =
                Arbitraries.integers().between(0, template.length() - 1).map(n -> template.substring(0, n));
        Arbitrary<byte[]> notUtf8 = Combinators.combine(
                        Arbitraries.integers().between(1, template.length() - 1),
                        Arbitraries.of(
                                new byte[] {(byte) 0xC3, 0x28},
                                new byte[] {(byte) 0xFF},
                                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                                new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                                new byte[] {(byte) 0xC0, (byte) 0xAF},
                                new byte[] {0x00}))
                .as((at, bad) -> insertInsideAString(template, at, bad));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, unknownField.map(HostileInputs::utf8)),
                net.jqwik.api.Tuple.of(
                        3, wrongValue.filter(s -> !s.equals(template)).map(HostileInputs::utf8)),
                net.jqwik.api.Tuple.of(2, truncated.map(HostileInputs::utf8)),
                net.jqwik.api.Tuple.of(2, notUtf8));
    }

    /** Replaces the value of the which-th (mod count) string value of the template with {@code value}. */
    static String replaceAStringValue(String template, int which, String value) {
        List<int[]> values = new ArrayList<>();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile(":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(template);
        while (m.find()) {
            values.add(new int[] {m.start(1) - 1, m.end(1) + 1});
        }
        if (values.isEmpty()) {
            return template;
        }
        int[] span = values.get(which % values.size());
        return template.substring(0, span[0]) + value + template.substring(span[1]);
    }

    /** Puts bytes that are not UTF-8 into the string value nearest after {@code at}: a JSON-legal spot. */
    static byte[] insertInsideAString(String template, int at, byte[] bad) {
        int quote = template.indexOf(":\"", Math.min(at, template.length() - 1));
        if (quote < 0) {
            quote = template.indexOf(":\"");
        }
        byte[] head = utf8(template.substring(0, quote + 2));
        byte[] tail = utf8(template.substring(quote + 2));
        byte[] all = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        System.arraycopy(tail, 0, all, head.length + bad.length, tail.length);
        return all;
    }

    /**
     * Key URLs that must be refused before any connection: each is built around {@code hostPort}, a
     * vault that would answer, or around an allowed Key Vault host, and has one flaw.
     */
    static Arbitrary<String> refusedKeyUrls(String hostPort) {
        String host = hostPort.substring(0, hostPort.indexOf(':'));
        String port = hostPort.substring(hostPort.indexOf(':') + 1);
        Arbitrary<String> key = Arbitraries.strings()
                .withCharRange('a', 'z')
                .numeric()
                .withChars('-')
                .ofMinLength(1)
                .ofMaxLength(20)
                .filter(s -> !s.startsWith("-"));
        Arbitrary<String> userinfo = Arbitraries.of("a", "a:b", "contoso.vault.azure.net", "%40", "user%3Apass");
        return Arbitraries.oneOf(
                // userinfo, on the real vault and on a Key Vault host
                Combinators.combine(userinfo, key).as((u, k) -> "https://" + u + "@" + hostPort + "/keys/" + k),
                Combinators.combine(userinfo, key).as((u, k) -> "https://" + u + "@contoso.vault.azure.net/keys/" + k),
                // IP literals and other spellings of loopback than the allowed one
                Combinators.combine(
                                Arbitraries.of(
                                        "[::1]",
                                        "localhost",
                                        "2130706433",
                                        "0x7f.0.0.1",
                                        "127.1",
                                        "127.0.0.2",
                                        "0177.0.0.1",
                                        "[::ffff:127.0.0.1]",
                                        "10.0.0.1",
                                        "169.254.169.254",
                                        "[fe80::1]",
                                        "0.0.0.0"),
                                key)
                        .as((h, k) -> "https://" + h + ":" + port + "/keys/" + k),
                Combinators.combine(Arbitraries.of("169.254.169.254", "10.1.2.3", "[::1]", "192.168.0.1"), key)
                        .as((h, k) -> "https://" + h + "/keys/" + k),
                // odd ports on allowed hosts
                Combinators.combine(Arbitraries.integers().between(1, 65535).filter(p -> p != 443), key)
                        .as((p, k) -> "https://contoso.vault.azure.net:" + p + "/keys/" + k),
                // encoded dots and other encodings in the host
                Combinators.combine(
                                Arbitraries.of(
                                        "contoso%2evault.azure.net",
                                        "contoso.vault%2Eazure.net",
                                        host.replace(".", "%2e") + ":" + port,
                                        "contoso.vault.azure.net%2F@evil.example",
                                        "evil.example%23.vault.azure.net",
                                        "contoso%00.vault.azure.net"),
                                key)
                        .as((h, k) -> "https://" + h + "/keys/" + k),
                // trailing dots and look-alike suffixes
                Combinators.combine(
                                Arbitraries.of(
                                        "contoso.vault.azure.net.",
                                        "contoso.vault.azure.net..",
                                        host + ".",
                                        "vault.azure.net",
                                        ".vault.azure.net",
                                        "evilvault.azure.net",
                                        "contoso.vault.azure.net.evil.example",
                                        "a.b.vault.azure.net",
                                        "contoso.vault.azure.com",
                                        "contoso_x.vault.azure.net",
                                        "xn--80ak6aa92e.vault.azure.net.evil"),
                                key)
                        .as((h, k) -> "https://" + h + (h.startsWith(host) ? ":" + port : "") + "/keys/" + k),
                // other schemes
                Combinators.combine(
                                Arbitraries.of(
                                        "http",
                                        "ftp",
                                        "file",
                                        "gopher",
                                        "ldap",
                                        "jar",
                                        "javascript",
                                        "data",
                                        "ws",
                                        "wss",
                                        "httpss",
                                        "h ttps"),
                                key)
                        .as((s, k) -> s + "://" + hostPort + "/keys/" + k),
                // query, fragment, path tricks
                Combinators.combine(
                                Arbitraries.of(
                                        "?a=b",
                                        "#f",
                                        "/../../admin",
                                        "/..",
                                        "/%2e%2e/x",
                                        "/v1/extra",
                                        "/%6b",
                                        "//",
                                        "/\u0000x",
                                        "?api-version=7.0",
                                        "/v1?x"),
                                key)
                        .as((tail, k) -> "https://" + hostPort + "/keys/" + k + tail),
                Combinators.combine(
                                Arbitraries.of(
                                        "/",
                                        "/secrets/",
                                        "/certificates/",
                                        "/keys",
                                        "/deletedkeys/",
                                        "/admin/faults/",
                                        "/KEYS/",
                                        "/keys%2F"),
                                key)
                        .as((p, k) -> "https://" + hostPort + p + k),
                // backslash and whitespace smuggling
                key.map(k -> "https://" + hostPort + "\\@evil.example/keys/" + k),
                key.map(k -> "https://evil.example\\@" + hostPort + "/keys/" + k),
                key.map(k -> "https://" + host + " :" + port + "/keys/" + k),
                // very long
                Arbitraries.integers().between(128, 20_000).map(n -> "https://" + hostPort + "/keys/" + "k".repeat(n)),
                Arbitraries.integers().between(65, 5_000).map(n -> "https://" + hostPort + "/keys/k/" + "v".repeat(n)),
                // not a URL at all
                strings().filter(s -> !s.isBlank() || s.isEmpty()));
    }

    /** Random character-level mutations of a valid key URL: may or may not be valid. */
    static Arbitrary<String> mutatedKeyUrls(String validUrl) {
        return Combinators.combine(
                        Arbitraries.integers().between(0, validUrl.length() - 1),
                        Arbitraries.chars().all(),
                        Arbitraries.integers().between(0, 2))
                .as((at, c, op) -> switch (op) {
                    case 0 -> validUrl.substring(0, at) + c + validUrl.substring(at);
                    case 1 -> validUrl.substring(0, at) + validUrl.substring(at + 1);
                    default -> validUrl.substring(0, at) + c + validUrl.substring(at + 1);
                });
    }

    static Arbitrary<String> ifMatchValues() {
        return Arbitraries.oneOf(
                        strings(),
                        Arbitraries.of(
                                "W/\"datetime'2026-01-01T00%3A00%3A00Z'\"",
                                "\"\"",
                                "W/",
                                "W/\"",
                                "\"x\", \"y\"",
                                "W/\"datetime'" + "9".repeat(200) + "'\"",
                                ",",
                                "*,*",
                                "**"))
                // A lone "*" matches any version; every value here is meant to be refused.
                // A blank one may count as absent.
                .filter(v -> !"*".equals(v.trim()) && !v.isBlank());
    }

    static Arbitrary<String> topValues() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of(
                        "0", "-1", "1001", "1e3", "0x10", "1.5", "", " 5", "5 ", "٣", "+5", "2147483648", "NaN", "%00"),
                strings());
    }

    static Arbitrary<String> skipTokens() {
        return Arbitraries.oneOf(
                strings(),
                Arbitraries.bytes()
                        .array(byte[].class)
                        .ofMaxSize(300)
                        .map(b -> java.util.Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(b)),
                strings()
                        .map(s -> java.util.Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(utf8(s))),
                Arbitraries.of(
                        "e30",
                        "eyJ9",
                        "%",
                        "====",
                        "AAAA",
                        java.util.Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(utf8("{\"nextPartitionKey\":\"x\",\"nextRowKey\":\"y\"}"))));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
