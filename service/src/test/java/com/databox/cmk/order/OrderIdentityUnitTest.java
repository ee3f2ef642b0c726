package com.databox.cmk.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The user-assigned identities are keyed by their typed resource ID: found in any case, as ARM's resource IDs are,
 * each key keeping the spelling it was given, in the order of that spelling (how the answers have listed them).
 */
class OrderIdentityUnitTest {
    private static final String GROUP = "/subscriptions/d47ab0c5-0000-4000-8000-00000000da7a/resourceGroups/";
    private static final String NAME = "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/";

    private static UserAssignedIdentityId id(String group, String name) {
        return new UserAssignedIdentityId(GROUP + group + NAME + name);
    }

    private static UserAssignedIdentity user(UserAssignedIdentityId id) {
        return new UserAssignedIdentity(id, "principal", "client", "tenant");
    }

    @Test
    void findsAnIdentityInAnyCaseAndKeepsItsSpelling() {
        UserAssignedIdentityId given = id("Rg", "Uai-1");
        OrderIdentity identity = new OrderIdentity(null, Map.of(given, user(given)));

        assertThat(identity.findUserAssigned(id("RG", "UAI-1"))).contains(user(given));
        assertThat(identity.findUserAssigned(id("rg", "uai-2"))).isEmpty();
        assertThat(identity.userAssignedIds()).containsExactly(id("rg", "uai-1"));
        assertThat(identity.userAssigned().keySet().iterator().next().value()).isEqualTo(given.value());
    }

    @Test
    void listsTheIdentitiesInTheOrderOfTheirSpelling() {
        Map<UserAssignedIdentityId, UserAssignedIdentity> given = new LinkedHashMap<>();
        for (UserAssignedIdentityId id :
                new UserAssignedIdentityId[] {id("rg", "uai-b"), id("RG", "uai-c"), id("rg", "UAI-a"), id("Rg", "uai-d")
                }) {
            given.put(id, user(id));
        }

        assertThat(new OrderIdentity(null, given).userAssigned().keySet())
                .extracting(UserAssignedIdentityId::value)
                .containsExactly(
                        GROUP + "RG" + NAME + "uai-c",
                        GROUP + "Rg" + NAME + "uai-d",
                        GROUP + "rg" + NAME + "UAI-a",
                        GROUP + "rg" + NAME + "uai-b");
    }
}
