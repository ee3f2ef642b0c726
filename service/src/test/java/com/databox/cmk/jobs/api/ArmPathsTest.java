package com.databox.cmk.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ARM paths in any case map onto the spec's spelling; names keep theirs. */
class ArmPathsTest {

    @Test
    void spellsFixedSegmentsAsTheSpecAndKeepsNames() {
        assertThat(ArmPaths.canonical(
                        "/SUBSCRIPTIONS/s/resourcegroups/My-RG/PROVIDERS/microsoft.databox/JOBS/Jobs/LISTCREDENTIALS"))
                .isEqualTo(
                        "/subscriptions/s/resourceGroups/My-RG/providers/Microsoft.DataBox/jobs/Jobs/listCredentials");
        assertThat(ArmPaths.canonical(
                        "/subscriptions/s/providers/Microsoft.DataBox/Locations/westus/OperationStatuses/Cancel"))
                .isEqualTo("/subscriptions/s/providers/Microsoft.DataBox/locations/westus/operationStatuses/Cancel");
        assertThat(ArmPaths.canonical("/subscriptions/s/providers/microsoft.databox/jobs"))
                .isEqualTo("/subscriptions/s/providers/Microsoft.DataBox/jobs");
    }

    @Test
    void leavesOtherPathsAlone() {
        assertThat(ArmPaths.canonical("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v"))
                .isNull();
        assertThat(ArmPaths.canonical("/orders/x")).isNull();
    }

    @Test
    void namesAResourceTypeThisSurfaceDoesNotServe() {
        assertThat(ArmPaths.unservedResourceType(
                        "/api/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataBox/widgets/w1"))
                .isEqualTo("widgets");
        assertThat(ArmPaths.unservedResourceType("/subscriptions/s/providers/microsoft.databox/Widgets"))
                .isEqualTo("Widgets");
        assertThat(ArmPaths.unservedResourceType("/api/subscriptions/s/providers/Microsoft.DataBox/wid%20gets"))
                .isEqualTo("wid gets");
        for (String served : new String[] {
            "/api/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataBox/JOBS/j/bookShipmentPickUp",
            "/api/subscriptions/s/providers/Microsoft.DataBox/locations/westus/validateAddress",
            "/api/providers/Microsoft.DataBox/operations",
            "/api/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v",
            "/api/orders/x"
        }) {
            assertThat(ArmPaths.unservedResourceType(served)).as(served).isNull();
        }
    }
}
