package com.databox.cmk.encryption;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local vault address the allow-list admits besides Key Vault's own hosts (the local profile
 * only: the emulator's vaults): a loopback host and the range of ports its vaults are served on, written
 * {@code host:port} or {@code host:first-last}. A bare host would admit every service on it, so it
 * is refused: a key URL could then make the service call any local port with a vault token.
 *
 * <p>The host is a loopback address, {@code 127.x.x.x}: the SDK's challenge verification is off for a local vault
 * ({@code KeyVaultClients}), so any other host admitted here would be sent customers' Key Vault tokens with nothing
 * checking whom they are for. Any host was taken, in any profile (bug bash sx1 B4). Not {@code localhost} nor
 * {@code [::1]}: the emulator names its keys on {@code 127.0.0.1}, and a key Key Vault names on another host than
 * the one asked is its outage (review rv16 L2: such an entry's every key answered {@code 503}).
 */
public record LocalVaultHost(String host, int firstPort, int lastPort) {
    private static final Pattern FORM =
            Pattern.compile("([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:]+\\]):(\\d{1,5})(?:-(\\d{1,5}))?");

    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern LOOPBACK = Pattern.compile("127(\\." + OCTET + "){3}");

    public LocalVaultHost {
        host = host.toLowerCase(Locale.ROOT);
        if (!LOOPBACK.matcher(host).matches()) {
            throw new IllegalArgumentException("cmk.keyvault.allowed-local-hosts entry host '" + host
                    + "' must be a loopback address (127.x.x.x): the local emulator's vaults, whose challenge is not"
                    + " verified");
        }
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
