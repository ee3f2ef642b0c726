package com.databox.cmk.order;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.unlockkey.KeyUrl;
import java.util.Arrays;
import java.util.Locale;

/**
 * The Azure cloud an order's location belongs to, and the one Key Vault DNS suffix a key of that
 * order may use (issue 11, item 8). Managed HSM ({@code managedhsm.azure.net}) is not among them:
 * the Data Box customer-managed-key documentation names Key Vault hosts only
 * ({@code vault.azure.net}, {@code vault.usgovcloudapi.net}).
 */
public enum AzureCloud {
    PUBLIC("vault.azure.net"),
    US_GOVERNMENT("vault.usgovcloudapi.net"),
    CHINA("vault.azure.cn");

    private final String vaultSuffix;

    AzureCloud(String vaultSuffix) {
        this.vaultSuffix = vaultSuffix;
    }

    /**
     * Whether a host under {@code suffix} (an entry of the Key Vault allow-list) can be a Key Vault host of some
     * cloud. The allow-list can only narrow the clouds' hosts: a key on a host of no cloud is refused whatever the
     * list says (review rv5 M4).
     */
    public static boolean hasHostsUnder(String suffix) {
        String bare = suffix.startsWith(".") ? suffix.substring(1) : suffix;
        String lower = bare.toLowerCase(Locale.ROOT);
        for (AzureCloud cloud : values()) {
            if (lower.equals(cloud.vaultSuffix) || lower.endsWith("." + cloud.vaultSuffix)) {
                return true;
            }
        }
        return false;
    }

    /** The clouds' Key Vault suffixes, for messages. */
    public static String vaultSuffixes() {
        return String.join(", ", Arrays.stream(values()).map(c -> c.vaultSuffix).toList());
    }

    /** US Government regions start with {@code usgov} or {@code usdod}, China regions with {@code china}. */
    public static AzureCloud ofLocation(String location) {
        String region =
                location == null ? "" : location.toLowerCase(Locale.ROOT).replace(" ", "");
        if (region.startsWith("usgov") || region.startsWith("usdod")) {
            return US_GOVERNMENT;
        }
        if (region.startsWith("china")) {
            return CHINA;
        }
        return PUBLIC;
    }

    /** Refuses a key whose host is not a Key Vault host of this cloud; local emulator hosts are checked elsewhere. */
    public void requireHost(KeyUrl key, String location) {
        if (!key.host().endsWith("." + vaultSuffix)) {
            throw new ServiceException(
                    ErrorCode.SsemUserErrorKeyVaultUrlInvalidHost,
                    "The host '" + key.host()
                            + "' of the key URL is not a Key Vault host of the order's cloud: an order in '" + location
                            + "' takes keys in *." + vaultSuffix + ".",
                    "kekUrl");
        }
    }
}
