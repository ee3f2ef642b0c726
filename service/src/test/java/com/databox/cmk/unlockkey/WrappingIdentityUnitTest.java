package com.databox.cmk.unlockkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** A managed identity named by its resource ID: the same in any case, shown in the spelling it was given. */
class WrappingIdentityUnitTest {
    private static final String GIVEN = "/subscriptions/00000000-0000-0000-0000-00000000000A/resourceGroups/RG"
            + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/UAI-1";

    @Test
    void aManagedIdentityIsTheSameInAnyCaseAndShownAsGiven() {
        var given = new WrappingIdentity.ManagedIdentity(new UserAssignedIdentityId(GIVEN));
        var lower = new WrappingIdentity.ManagedIdentity(new UserAssignedIdentityId(GIVEN.toLowerCase(Locale.ROOT)));

        assertThat(given).isEqualTo(lower).hasSameHashCodeAs(lower);
        assertThat(given.key()).isEqualTo(lower.key()).isEqualTo(GIVEN.toLowerCase(Locale.ROOT));
        assertThat(given.shownAs()).isEqualTo("the identity " + GIVEN);
        assertThat(given.resourceId().value()).isEqualTo(GIVEN);
    }

    @Test
    void theOrdersSystemAssignedIdentityIsNeverShownByItsResourceId() {
        var system = new WrappingIdentity.ManagedIdentity(new UserAssignedIdentityId(GIVEN), true);

        assertThat(system.shownAs()).isEqualTo("the order's system-assigned identity");
        assertThat(system).isEqualTo(new WrappingIdentity.ManagedIdentity(new UserAssignedIdentityId(GIVEN)));
    }
}
