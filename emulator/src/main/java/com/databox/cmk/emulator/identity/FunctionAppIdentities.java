package com.databox.cmk.emulator.identity;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The user-assigned identities assigned to the function app (through ARM's {@code PATCH} of the
 * site). With tracking on, the identity endpoint mints tokens only for these, as on Azure; with it
 * off (the default), for every identity the directory knows.
 */
public final class FunctionAppIdentities {
    public static final String APP_NAME = "databox-cmk-local";

    private final Set<String> assigned = ConcurrentHashMap.newKeySet();
    private final boolean tracking;

    public FunctionAppIdentities(boolean tracking) {
        this.tracking = tracking;
    }

    public static String resourceId() {
        return "/subscriptions/" + Directory.SUBSCRIPTION_ID + "/resourceGroups/" + Directory.RESOURCE_GROUP
                + "/providers/Microsoft.Web/sites/" + APP_NAME;
    }

    public void assign(String identityResourceId) {
        assigned.add(identityResourceId.toLowerCase(Locale.ROOT));
    }

    public void unassign(String identityResourceId) {
        assigned.remove(identityResourceId.toLowerCase(Locale.ROOT));
    }

    public void unassignAll() {
        assigned.clear();
    }

    /** The assigned identities' resource IDs, lower-case as ARM compares them. */
    public Set<String> all() {
        return new TreeSet<>(assigned);
    }

    /** Whether the identity endpoint may mint a token for this identity. */
    boolean mayMint(IdentityInfo identity) {
        return !tracking
                || identity.resourceId() == null
                || assigned.contains(identity.resourceId().toLowerCase(Locale.ROOT));
    }
}
