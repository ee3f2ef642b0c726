package com.databox.cmk.sdkhttp;

import com.azure.core.util.Configuration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The hosts a configured proxy does not carry, read as the JVM and {@code curl} read them: {@code http.nonProxyHosts}
 * ({@code localhost|127.*|*.internal.example.net}, where {@code *} is the only wildcard and a dot is a dot), or, where
 * the proxy comes from the environment ({@code java.net.useSystemProxies}), {@code NO_PROXY} ({@code
 * internal.example.net} or {@code .internal.example.net}: that domain and every name below it). Vert.x's own
 * non-proxy hosts, and the regular expression azure-core makes of them, read {@code 127.*} as "127 and then anything"
 * ({@code 127data.vault.azure.net} went around the proxy), {@code *.internal.example.net}'s dots as any character in
 * Vert.x, and {@code [::1]} as a character class in azure-core (review rv17 L1).
 */
final class NonProxyHosts {
    private NonProxyHosts() {}

    static Optional<Pattern> of(Configuration configuration) {
        boolean fromEnvironment = Boolean.parseBoolean(configuration.get("java.net.useSystemProxies"));
        List<String> alternatives = new ArrayList<>();
        if (fromEnvironment) {
            String noProxy = configuration.get(Configuration.PROPERTY_NO_PROXY);
            for (String entry : noProxy == null ? new String[0] : noProxy.split(",")) {
                String domain = entry.strip().toLowerCase(Locale.ROOT);
                if (domain.startsWith("*.") || domain.startsWith(".")) {
                    domain = domain.substring(domain.indexOf('.') + 1);
                }
                if (!domain.isEmpty()) {
                    alternatives.add(glob(domain) + "|(.*\\." + glob(domain) + ")");
                }
            }
        } else {
            String hosts = configuration.get("http.nonProxyHosts");
            for (String entry : hosts == null ? new String[0] : hosts.split("\\|")) {
                if (!entry.isBlank()) {
                    alternatives.add(glob(entry.strip().toLowerCase(Locale.ROOT)));
                }
            }
        }
        return alternatives.isEmpty()
                ? Optional.empty()
                : Optional.of(Pattern.compile("(" + String.join(")|(", alternatives) + ")", Pattern.CASE_INSENSITIVE));
    }

    /** {@code *} any characters; every other character itself. */
    private static String glob(String entry) {
        List<String> literals = new ArrayList<>();
        for (String literal : entry.split("\\*", -1)) {
            literals.add(literal.isEmpty() ? "" : Pattern.quote(literal));
        }
        return String.join(".*", literals);
    }
}
