package com.databox.cmk.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A requested identity change, as both surfaces' PATCH of {@code identity} gives it. */
class IdentityUpdateUnitTest {
    private static final String UAI = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/"
            + "Microsoft.ManagedIdentity/userAssignedIdentities/uai-1";

    /**
     * One identity to attach and to detach, its resource ID spelled in two cases, is refused: the IDs compare in
     * any case, and the attach won (bug bash of 2026-12-06, B6).
     */
    @Test
    void anIdentityBothToAttachAndToDetachIsRefused() {
        Set<UserAssignedIdentityId> attach = Set.of(new UserAssignedIdentityId(UAI));
        Set<UserAssignedIdentityId> detach = Set.of(new UserAssignedIdentityId(UAI.toUpperCase(java.util.Locale.ROOT)));

        assertThatThrownBy(() -> new IdentityUpdate(false, true, attach, detach))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.InvalidRequest);
                    assertThat(e.target()).isEqualTo("identity.userAssignedIdentities");
                });
        assertThat(new IdentityUpdate(false, true, attach, Set.of()).attach()).hasSize(1);
    }
}
