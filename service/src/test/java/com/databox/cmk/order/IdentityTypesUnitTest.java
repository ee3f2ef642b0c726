package com.databox.cmk.order;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ARM's identity types, as both the order routes and the Data Box jobs API read them. */
class IdentityTypesUnitTest {
    @Test
    void theTypesArmNamesAreReadInAnyCaseWithSpacesAroundTheComma() {
        assertThat(IdentityTypes.parse("None")).contains(new IdentityTypes(false, false));
        assertThat(IdentityTypes.parse("systemassigned")).contains(new IdentityTypes(true, false));
        assertThat(IdentityTypes.parse("UserAssigned")).contains(new IdentityTypes(false, true));
        assertThat(IdentityTypes.parse("SystemAssigned,UserAssigned")).contains(new IdentityTypes(true, true));
        assertThat(IdentityTypes.parse("UserAssigned , SystemAssigned")).contains(new IdentityTypes(true, true));
    }

    /** A type named twice, or white space around the whole value, too (bug bash of 2026-12-06, B8: both were taken). */
    @Test
    void anythingElseIsNoType() {
        for (String bad : new String[] {
            "",
            "Managed",
            "None,SystemAssigned",
            "SystemAssigned,",
            "SystemAssigned,Other",
            "User Assigned",
            "SystemAssigned,SystemAssigned",
            "UserAssigned, userassigned",
            " None",
            "SystemAssigned,UserAssigned "
        }) {
            assertThat(IdentityTypes.parse(bad)).as(bad).isEmpty();
        }
    }
}
