package com.databox.cmk.encryption;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.KeyUrl;
import java.util.List;
import java.util.Locale;

/**
 * The Key Vault host allow-list: no request goes to a host that does not end with one of the
 * allowed suffixes (or to one of the local vault addresses, in the local profile only).
 */
public record VaultHostPolicy(List<String> allowedSuffixes, List<LocalVaultHost> allowedLocalHosts) {

    public VaultHostPolicy {
        allowedSuffixes =
                allowedSuffixes.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
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
