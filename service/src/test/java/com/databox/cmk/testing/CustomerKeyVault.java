package com.databox.cmk.testing;

import com.databox.cmk.emulator.EmulatorAdminClient;
import com.databox.cmk.emulator.EmulatorTestSupport;
import com.databox.cmk.emulator.identity.IdentityInfo;
import com.databox.cmk.emulator.keyvault.VaultInfo;
import java.time.Instant;
import java.util.UUID;

/**
 * A customer's key vault in the emulator, made fresh for one test: soft delete and purge protection
 * (90 days) in the default tenant, an RSA-3072 key, and a user-assigned identity granted Get,
 * WrapKey and UnwrapKey on it. Every name is random, so tests never share vaults, keys or identities.
 */
public final class CustomerKeyVault {

    public static final String[] ALL_KEY_PERMISSIONS = {"get", "wrapKey", "unwrapKey"};

    private final String name;
    private final VaultInfo vault;
    private final String keyName;
    private final String keyUrl;
    private final IdentityInfo identity;

    private CustomerKeyVault(String name, VaultInfo vault, String keyName, String keyUrl, IdentityInfo identity) {
        this.name = name;
        this.vault = vault;
        this.keyName = keyName;
        this.keyUrl = keyUrl;
        this.identity = identity;
    }

    /** A new vault, key and identity with full access. */
    public static CustomerKeyVault create() {
        return create(newIdentity());
    }

    /** A new vault and key; {@code identity} (already existing) is granted Get, WrapKey and UnwrapKey on it. */
    public static CustomerKeyVault create(IdentityInfo identity) {
        return create(identity, defaultTenantId(), true, true, false);
    }

    /** As {@link #create(IdentityInfo)}, with the vault's tenant and settings chosen. */
    public static CustomerKeyVault create(
            IdentityInfo identity, String tenantId, boolean softDelete, boolean purgeProtection, boolean firewall) {
        EmulatorAdminClient admin = admin();
        String name = randomName("v");
        VaultInfo vault = admin.createVault(name, tenantId, softDelete, purgeProtection, 90, firewall);
        String keyName = randomName("k");
        String kid = admin.createKey(name, keyName, "RSA", 3072);
        admin.grant(name, identity.principalId(), ALL_KEY_PERMISSIONS);
        return new CustomerKeyVault(name, vault, keyName, kid, identity);
    }

    /** A new user-assigned identity in the default tenant, with no access anywhere. */
    public static IdentityInfo newIdentity() {
        return admin().createIdentity("uai-" + UUID.randomUUID(), defaultTenantId());
    }

    public static EmulatorAdminClient admin() {
        return EmulatorTestSupport.admin();
    }

    public static String defaultTenantId() {
        return EmulatorTestSupport.shared().defaultTenantId();
    }

    /** {@code prefix} and 8 random hex digits: short enough for a vault name. */
    public static String randomName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    /** The last path segment of a versioned key URL. */
    public static String versionOf(String kid) {
        return kid.substring(kid.lastIndexOf('/') + 1);
    }

    /** The vault's name in the emulator's admin API. */
    public String name() {
        return name;
    }

    public String vaultUrl() {
        return vault.vaultUrl();
    }

    public String resourceId() {
        return vault.resourceId();
    }

    public String keyName() {
        return keyName;
    }

    /** The versioned URL of the key this fixture created first. */
    public String keyUrl() {
        return keyUrl;
    }

    public String keyVersion() {
        return versionOf(keyUrl);
    }

    public String versionlessKeyUrl() {
        return vaultUrl() + "/keys/" + keyName;
    }

    public IdentityInfo identity() {
        return identity;
    }

    /** Expires the fixture's key version a minute ago (Key Vault then refuses wrapKey, and still unwraps). */
    public void expireKeyVersion() {
        admin().updateKey(name, keyName, keyVersion(), null, null, Instant.now().minusSeconds(60));
    }

    /** A new version of the fixture's key; answers its versioned URL. */
    public String newVersion() {
        return admin().createKey(name, keyName, "RSA", 3072);
    }

    /** Another key (random name) of the given type and size (0: the emulator's default) in this vault. */
    public String newKey(String kty, int size) {
        return admin().createKey(name, randomName("k"), kty, size);
    }

    /** The key name in a versioned or versionless key URL of this vault. */
    public static String keyNameOf(String keyUrl) {
        String path = keyUrl.substring(keyUrl.indexOf("/keys/") + "/keys/".length());
        int slash = path.indexOf('/');
        return slash < 0 ? path : path.substring(0, slash);
    }

    /** Replaces the principal's access policy with exactly {@code permissions}. */
    public void setPermissions(String principalId, String... permissions) {
        admin().revoke(name, principalId);
        if (permissions.length > 0) {
            admin().grant(name, principalId, permissions);
        }
    }

    public void grant(String principalId, String... permissions) {
        admin().grant(name, principalId, permissions);
    }
}
