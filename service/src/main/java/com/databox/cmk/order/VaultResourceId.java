package com.databox.cmk.order;

import com.databox.cmk.error.ServiceException;
import java.util.regex.Pattern;

/** The ARM resource ID of the key vault (or managed HSM) that holds a customer-managed key. */
public record VaultResourceId(String value) {
    private static final int MAX_LENGTH = 512;
    private static final Pattern SHAPE = Pattern.compile(
            "/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.KeyVault/(vaults|managedHSMs)/[^/]+",
            Pattern.CASE_INSENSITIVE);

    public VaultResourceId {
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("Not a key vault resource ID");
        }
    }

    /** Optional, as in ARM: null stays null; when given it must name a vault. */
    public static VaultResourceId parseOptional(String text) {
        if (text == null) {
            return null;
        }
        if (!isWellFormed(text)) {
            throw ServiceException.invalidRequest(
                    "'kekVaultResourceID' is not the resource ID of a key vault "
                            + "(/subscriptions/…/providers/Microsoft.KeyVault/vaults/…).",
                    "kekVaultResourceID");
        }
        return new VaultResourceId(text);
    }

    /** Whether both name the same vault: ARM resource IDs compare in any case. */
    public boolean namesSameVaultAs(VaultResourceId other) {
        return other != null && value.equalsIgnoreCase(other.value);
    }

    /** The vault's name: the last segment of the ID. */
    public String name() {
        return value.substring(value.lastIndexOf('/') + 1);
    }

    public static boolean isWellFormed(String text) {
        return text != null
                && text.length() <= MAX_LENGTH
                && SHAPE.matcher(text).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
