package com.databox.cmk.encryption;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.unlockkey.KeyUrl;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The Key Vault host allow-list: no request goes to a host that does not end with one of the
 * allowed suffixes (or to one of the local vault addresses, in the local profile only).
 */
public record VaultHostPolicy(List<String> allowedSuffixes, List<LocalVaultHost> allowedLocalHosts) {
    private static final String LABEL = "[a-z0-9]([a-z0-9-]*[a-z0-9])?";

    /** A DNS suffix of two labels at least, as {@code vault.azure.net}; a leading dot is taken. */
    private static final Pattern SUFFIX = Pattern.compile("\\.?" + LABEL + "(\\." + LABEL + ")+");

    public VaultHostPolicy {
        allowedSuffixes =
                allowedSuffixes.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        for (String suffix : allowedSuffixes) {
            if (!SUFFIX.matcher(suffix).matches()) {
                // One label ("net") admitted any "<name>.net" as a Key Vault host (bug bash bb95 L6).
                throw new IllegalArgumentException("cmk.keyvault.allowed-host-suffixes: '" + suffix
                        + "' is no DNS suffix of two labels at least, as vault.azure.net (a vault's host is"
                        + " {vault name}.{suffix})");
            }
        }
        allowedLocalHosts = List.copyOf(allowedLocalHosts);
    }

    /** As configuration writes them: local entries {@code host:port} or {@code host:first-last}. */
    public static VaultHostPolicy of(List<String> allowedSuffixes, List<String> allowedLocalHosts) {
        return new VaultHostPolicy(
                allowedSuffixes,
                allowedLocalHosts.stream().map(LocalVaultHost::parse).toList());
    }

    /** Parses the URL and refuses it unless its host is allowed; no network call is made. */
    public KeyUrl check(String url) {
        KeyUrl key = KeyUrl.parse(url);
        requireAllowed(key);
        return key;
    }

    /** Refuses a parsed URL unless its host is allowed (the list may have changed since it was stored). */
    public void requireAllowed(KeyUrl key) {
        if (!isAllowed(key)) {
            throw new ServiceException(
                    ErrorCode.SsemUserErrorKeyVaultUrlInvalidHost,
                    key.port() == -1 || !isAllowed(key.withoutPort())
                            ? "The host '" + key.host() + "' of the key URL is not an allowed Key Vault host."
                            : "Key Vault is reached on HTTPS's own port: the key URL's port " + key.port()
                                    + " is not allowed; leave the port out.",
                    "kekUrl");
        }
    }

    /**
     * Refuses a key already in use (an order's stored key) whose host was taken off the list since: no request goes
     * there, and the answer names who can fix it. Every way off that key unwraps with it first, so the order can
     * neither reveal its password nor move to another key until the host is allowed again: the answer asked the
     * customer to use a key in an allowed vault, which they may just have asked for (bug bash of 2026-12-06,
     * operator F1).
     */
    public void requireStillAllowed(KeyUrl storedKey) {
        if (!isAllowed(storedKey)) {
            throw new ServiceException(
                    ErrorCode.SsemUserErrorKeyVaultUrlInvalidHost,
                    "The host '" + storedKey.host() + "' of the key this order uses is no longer on the service's Key"
                            + " Vault allow-list: the key cannot be used, so the order can neither reveal its password"
                            + " nor move to another key (every change unwraps with this key first).",
                    null,
                    null,
                    null,
                    "Ask the service's operator to allow the key's host again; then move the order to a key in an"
                            + " allowed vault, or to the Microsoft-managed key, if the host is to go.");
        }
    }

    public boolean isLocal(KeyUrl key) {
        int port = key.port() == -1 ? 443 : key.port();
        return allowedLocalHosts.stream().anyMatch(local -> local.admits(key.host(), port));
    }

    private boolean isAllowed(KeyUrl key) {
        if (isLocal(key)) {
            return true;
        }
        String host = key.host();
        if (key.port() != -1 && key.port() != 443) {
            return false;
        }
        return allowedSuffixes.stream().anyMatch(suffix -> {
            String dotted = suffix.startsWith(".") ? suffix : "." + suffix;
            return host.endsWith(dotted)
                    && host.length() > dotted.length()
                    && host.substring(0, host.length() - dotted.length()).matches("[a-z0-9-]+");
        });
    }
}
