package com.databox.cmk.emulator.keyvault;

import com.databox.cmk.emulator.identity.Directory;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/** One vault: its settings, keys and access policies (principal object id to key permissions). */
public final class Vault {

    private final String name;
    private final String vaultUrl;
    private final int port;
    private volatile VaultSettings settings;
    private final VaultKeys keys = new VaultKeys();
    private final Map<String, Set<String>> policies = new ConcurrentHashMap<>();

    Vault(String name, int port, VaultSettings settings) {
        this.name = name;
        this.port = port;
        this.vaultUrl = "https://127.0.0.1:" + port;
        this.settings = settings;
    }

    static String resourceId(String vaultName) {
        return "/subscriptions/" + Directory.SUBSCRIPTION_ID + "/resourceGroups/" + Directory.RESOURCE_GROUP
                + "/providers/Microsoft.KeyVault/vaults/" + vaultName;
    }

    public String name() {
        return name;
    }

    String vaultUrl() {
        return vaultUrl;
    }

    int port() {
        return port;
    }

    public VaultSettings settings() {
        return settings;
    }

    public void settings(VaultSettings newSettings) {
        this.settings = newSettings;
    }

    public VaultKeys keys() {
        return keys;
    }

    public String kid(KeyVersion version) {
        return vaultUrl + "/keys/" + version.name() + "/" + version.version();
    }

    public VaultInfo info() {
        return new VaultInfo(vaultUrl, resourceId(name), settings.recoveryLevel(), settings.tenantId(), port);
    }

    /**
     * Replaces the principal's key permissions (compared case-insensitively, as Key Vault does). A name Key Vault
     * does not have is refused, as ARM refuses the access policy, and nothing changes.
     */
    public void grant(String principalId, Set<String> permissions) {
        permissions.stream().filter(p -> !KeyPermissions.known(p)).findFirst().ifPresent(p -> {
            throw new IllegalArgumentException("'" + p + "' is not a key permission; Key Vault's are "
                    + String.join(", ", new java.util.TreeSet<>(KeyPermissions.NAMES))
                    + " (in any case)");
        });
        Set<String> normalized = new CopyOnWriteArraySet<>();
        permissions.forEach(p -> normalized.add(p.toLowerCase(Locale.ROOT)));
        policies.put(principalId.toLowerCase(Locale.ROOT), normalized);
    }

    public boolean revoke(String principalId) {
        return policies.remove(principalId.toLowerCase(Locale.ROOT)) != null;
    }

    boolean allows(String principalId, String permission) {
        Set<String> granted = policies.get(principalId.toLowerCase(Locale.ROOT));
        return granted != null && (granted.contains(permission.toLowerCase(Locale.ROOT)) || granted.contains("all"));
    }

    public Map<String, Set<String>> policies() {
        return new TreeMap<>(policies);
    }
}
