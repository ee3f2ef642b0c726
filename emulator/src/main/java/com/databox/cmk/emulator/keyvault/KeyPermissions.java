package com.databox.cmk.emulator.keyvault;

import java.util.Locale;
import java.util.Set;

/** Key Vault's key permission names (access policies), lower case: the emulator compares them ignoring case. */
public final class KeyPermissions {

    /** Every key permission Key Vault has; {@code all} grants every one. */
    public static final Set<String> NAMES = Set.of(
            "all",
            "backup",
            "create",
            "decrypt",
            "delete",
            "encrypt",
            "get",
            "getrotationpolicy",
            "import",
            "list",
            "purge",
            "recover",
            "release",
            "restore",
            "rotate",
            "setrotationpolicy",
            "sign",
            "unwrapkey",
            "update",
            "verify",
            "wrapkey");

    /**
     * The operation names data-plane calls are counted and faulted under: each permission a call needs, and
     * {@code random_bytes} for {@code POST /rng}, which needs none.
     */
    public static final Set<String> OPERATIONS = operations();

    private KeyPermissions() {}

    public static boolean known(String permission) {
        return NAMES.contains(permission.toLowerCase(Locale.ROOT));
    }

    private static Set<String> operations() {
        Set<String> operations = new java.util.HashSet<>(NAMES);
        operations.remove("all");
        operations.add(DataPlaneRoute.Action.RANDOM_BYTES.name().toLowerCase(Locale.ROOT));
        return Set.copyOf(operations);
    }
}
