package com.databox.cmk.encryption;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local vault address the allow-list admits besides Key Vault's own hosts (the local profile
 * only: the emulator's vaults): a host and the range of ports its vaults are served on, written
 * {@code host:port} or {@code host:first-last}. A bare host would admit every service on it, so it
 * is refused: a key URL could then make the service call any local port with a vault token.
 */
public record LocalVaultHost(String host, int firstPort, int lastPort) {
    private static final Pattern FORM = Pattern.compile("([A-Za-z0-9.\\-]+):(\\d{1,5})(?:-(\\d{1,5}))?");

    public LocalVaultHost {
        host = host.toLowerCase(Locale.ROOT);
        if (firstPort < 1 || lastPort > 65_535 || firstPort > lastPort) {
            throw new IllegalArgumentException("Invalid port range " + firstPort + "-" + lastPort + " for " + host);
        }
    }

    /** {@code host:port} or {@code host:first-last}; anything else is a configuration error. */
    public static LocalVaultHost parse(String entry) {
        Matcher m = FORM.matcher(entry.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("cmk.keyvault.allowed-local-hosts entry '" + entry
                    + "' must be host:port or host:first-last (the emulator's vault ports)");
        }
        int first = Integer.parseInt(m.group(2));
        int last = m.group(3) == null ? first : Integer.parseInt(m.group(3));
        return new LocalVaultHost(m.group(1), first, last);
    }

    public boolean admits(String otherHost, int port) {
        return host.equalsIgnoreCase(otherHost) && port >= firstPort && port <= lastPort;
    }
}
