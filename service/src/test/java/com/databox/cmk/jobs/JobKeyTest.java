package com.databox.cmk.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.order.OrderName;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Job names as the spec allows them, and the order each job maps to. */
class JobKeyTest {
    private static final String SUB = "d47ab0c5-0000-4000-8000-00000000da7a";

    @Test
    void acceptsUnderscoresAndPeriodsThatOrderNamesRefuse() {
        JobKey key = new JobKey(SUB, "rg_1.(x)", "my_job.v2");
        assertThat(key.resourceId())
                .isEqualTo("/subscriptions/" + SUB
                        + "/resourceGroups/rg_1.(x)/providers/Microsoft.DataBox/jobs/my_job.v2");
        assertThat(new OrderName(key.orderName()).value()).startsWith("arm-").hasSize(24);
    }

    @Test
    void mapsEverySpellingOfAJobToOneOrderAndOtherGroupsToOthers() {
        String order = new JobKey(SUB, "RG", "Job.1").orderName();
        assertThat(new JobKey(SUB.toUpperCase(Locale.ROOT), "rg", "JOB.1").orderName())
                .isEqualTo(order);
        assertThat(new JobKey(SUB, "rg2", "Job.1").orderName()).isNotEqualTo(order);
        assertThat(new JobKey("d47ab0c5-0000-4000-8000-00000000da7b", "RG", "Job.1").orderName())
                .isNotEqualTo(order);
    }

    /** ARM takes letters and digits of any script in a resource group's name (Unicode, as .NET's \\w). */
    @Test
    void takesResourceGroupNamesInAnyScriptAndNoOtherSymbols() {
        for (String group : new String[] {"Ä-rg", "données_1", "資源組", "rg(ü).x"}) {
            assertThat(new JobKey(SUB, group, "job-1").resourceGroup()).isEqualTo(group);
        }
        for (String group : new String[] {"rg/x", "rg#1", "rg?", "rg%", "rg.", "rg x", "€rg"}) {
            assertThatThrownBy(() -> new JobKey(SUB, group, "job-1"))
                    .as(group)
                    .isInstanceOfSatisfying(
                            JobException.class,
                            e -> assertThat(e.code()).isEqualTo(JobErrorCode.InvalidResourceGroupName));
        }
    }

    /** The value DATABOX-ARM-API.md's Python formula gives, so that a reader can find a job's order. */
    @Test
    void namesTheOrderAsTheDocumentedFormulaDoes() {
        assertThat(new JobKey("D47AB0C5-0000-4000-8000-00000000DA7A", "RG-Jobs", "Job-1").orderName())
                .isEqualTo("arm-2428a91c1d6a6ca4f23a");
    }

    @Test
    void refusesNamesOutsideTheSpec() {
        for (String name : new String[] {"ab", "a".repeat(25), "has space", "slash/x", "ünï"}) {
            assertThatThrownBy(() -> new JobKey(SUB, "rg", name))
                    .as(name)
                    .isInstanceOf(JobException.class)
                    .extracting("code")
                    .isEqualTo(JobErrorCode.InvalidResourceName);
        }
        assertThatThrownBy(() -> new JobKey("not-a-guid", "rg", "job"))
                .extracting("code")
                .isEqualTo(JobErrorCode.InvalidSubscriptionId);
        assertThatThrownBy(() -> new JobKey(SUB, "ends.", "job"))
                .extracting("code")
                .isEqualTo(JobErrorCode.InvalidResourceGroupName);
    }
}
