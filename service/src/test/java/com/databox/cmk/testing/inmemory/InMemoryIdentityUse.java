package com.databox.cmk.testing.inmemory;

import com.databox.cmk.order.Caller;
import com.databox.cmk.order.IdentityUse;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Who may assign which identity, as ARM's role assignments would say: per identity, or on every one. */
public final class InMemoryIdentityUse implements IdentityUse {
    private final Set<String> everywhere = ConcurrentHashMap.newKeySet();
    private final Set<String> grants = ConcurrentHashMap.newKeySet();
    private final AtomicInteger questions = new AtomicInteger();

    /** Like Managed Identity Operator on the whole resource group. */
    public void grantEverywhere(String objectId) {
        everywhere.add(objectId.toLowerCase(Locale.ROOT));
    }

    public void grant(String objectId, String identityResourceId) {
        grants.add(objectId.toLowerCase(Locale.ROOT) + " " + identityResourceId.toLowerCase(Locale.ROOT));
    }

    public int questions() {
        return questions.get();
    }

    @Override
    public boolean mayAssign(Caller caller, UserAssignedIdentityId id) {
        questions.incrementAndGet();
        if (caller.objectId() == null) {
            return false;
        }
        String oid = caller.objectId().toLowerCase(Locale.ROOT);
        return everywhere.contains(oid)
                || grants.contains(oid + " " + id.value().toLowerCase(Locale.ROOT));
    }
}
