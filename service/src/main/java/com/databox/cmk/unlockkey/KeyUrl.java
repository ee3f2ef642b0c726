package com.databox.cmk.unlockkey;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Key Vault key identifier: {@code https://{vault host}[:port]/keys/{name}[/{version}]}.
 * Parsing checks only the form; {@code encryption.VaultHostPolicy} decides whether the host may be called.
 */
public record KeyUrl(String scheme, String host, int port, String name, String version) {
    /** The longest key URL a request may give, refused before it is read (a key identifier is far shorter). */
    public static final int MAX_LENGTH = 2048;

    private static final Pattern NAME = Pattern.compile("[0-9A-Za-z-]{1,127}");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z]{1,64}");
    // Key Vault's other routes of a key, where a version would be: they answer something else than the key (bug bash
    // of 2026-12-06, Key Vault F1: taken for a version, a permission error whose resolution could not help, or a 503
    // to retry for ever). Any other word is a version Key Vault may not have, which it answers as such.
    private static final Set<String> ROUTES_OF_A_KEY =
            Set.of("versions", "rotationpolicy", "rotate", "create", "backup");

    public static KeyUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("The key URL is missing.");
        }
        if (url.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw invalid("The key URL '" + printable(url) + "' must not contain spaces or control characters.");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("'" + url + "' is not a Key Vault key URL.");
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawPath() == null) {
            throw invalid("'" + url + "' is not a Key Vault key URL.");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new ServiceException(
                    ErrorCode.SsemUserErrorKeyVaultUrlWithInvalidScheme,
                    "The key URL '" + url + "' does not use HTTPS.",
                    "kekUrl");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("The key URL '" + url + "' must not carry user information, a query or a fragment.");
        }
        String[] segments = uri.getRawPath().split("/", -1);
        // "", "keys", name[, version]; a trailing slash leaves an empty last segment.
        int length = segments.length;
        if (length > 1 && segments[length - 1].isEmpty()) {
            length--;
        }
        if (length < 3
                || length > 4
                || !segments[0].isEmpty()
                || !"keys".equals(segments[1])
                || !NAME.matcher(segments[2]).matches()) {
            throw invalid("'" + url + "' is not a Key Vault key URL.");
        }
        if (length == 4
                && (!VERSION.matcher(segments[3]).matches()
                        || ROUTES_OF_A_KEY.contains(segments[3].toLowerCase(Locale.ROOT)))) {
            throw invalid("'" + url + "' is not a Key Vault key URL: '" + segments[3] + "' is no key version; copy"
                    + " the key identifier (https://{vault}/keys/{name}/{version}), or leave the version out to"
                    + " follow the key's newest one.");
        }
        return new KeyUrl(
                "https",
                uri.getHost().toLowerCase(Locale.ROOT),
                // HTTPS's own port is no port: the same vault as without it, as Key Vault writes its key identifiers.
                uri.getPort() == 443 ? -1 : uri.getPort(),
                segments[2],
                length == 4 ? segments[3] : null);
    }

    public boolean isVersioned() {
        return version != null;
    }

    /**
     * The vault's name, the first label of a Key Vault host ({@code contoso} of
     * {@code contoso.vault.azure.net}); null for a host that is an address (a local emulator).
     */
    public String vaultName() {
        int dot = host.indexOf('.');
        if (dot <= 0 || host.matches("[0-9.]+") || host.startsWith("[")) {
            return null;
        }
        return host.substring(0, dot);
    }

    /** Same vault: same scheme, host and port. */
    public boolean sameVaultAs(KeyUrl other) {
        return other != null && vaultUrl().equals(other.vaultUrl());
    }

    /**
     * The same key, or the same version of it, however each was spelled ({@link #parse} drops HTTPS's port, a trailing
     * slash and the host's case): same vault, name and version, the name and version in any case, as Key Vault compares
     * its object identifiers (https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-and-certificates,
     * "Object identifiers").
     */
    public boolean namesSameKeyAs(KeyUrl other) {
        return sameVaultAs(other)
                && name.equalsIgnoreCase(other.name)
                && (version == null ? other.version == null : version.equalsIgnoreCase(other.version));
    }

    public String vaultUrl() {
        return scheme + "://" + host + (port == -1 ? "" : ":" + port);
    }

    public String keyId() {
        return vaultUrl() + "/keys/" + name + (version == null ? "" : "/" + version);
    }

    public KeyUrl withoutPort() {
        return new KeyUrl(scheme, host, -1, name, version);
    }

    public KeyUrl withVersion(String newVersion) {
        return new KeyUrl(scheme, host, port, name, newVersion);
    }

    @Override
    public String toString() {
        return keyId();
    }

    /** The URL as it can be shown back: control characters replaced, and not too long. */
    private static String printable(String url) {
        String shown = url.codePoints()
                .map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return shown.length() > 200 ? shown.substring(0, 200) + "…" : shown;
    }

    private static ServiceException invalid(String message) {
        return new ServiceException(ErrorCode.SsemUserErrorInvalidKeyVaultUrl, message, "kekUrl");
    }
}
