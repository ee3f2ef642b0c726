package com.databox.cmk.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A job's stored JSON and a request's compared as JSON values (bug bash of 2026-12-06, upgrades F1 and F2). */
class JobDocumentsUnitTest {
    @Test
    void membersInAnotherOrderAndNumbersWrittenOtherwiseAreTheSameValue() {
        assertThat(JobDocuments.sameValue("{\"a\":1,\"b\":[1,2]}", "{\"b\":[1,2],\"a\":1.0}"))
                .isTrue();
        assertThat(JobDocuments.sameValue("{\"b\":[1,2]}", "{\"b\":[2,1]}")).isFalse();
        assertThat(JobDocuments.sameValue(null, null)).isTrue();
        assertThat(JobDocuments.sameValue(null, "{}")).isFalse();
        assertThat(JobDocuments.sameTags(null, "{}")).isTrue();
        assertThat(JobDocuments.sameTags("{}", null)).isTrue();
        assertThat(JobDocuments.sameTags(null, "{\"a\":\"b\"}")).isFalse();
    }

    @Test
    void storedPropertiesWithoutADeliveryTypeHaveItsDefault() {
        assertThat(JobDocuments.sameProperties(
                        "{\"transferType\":\"ImportToAzure\"}",
                        "{\"deliveryType\":\"NonScheduled\",\"transferType\":\"ImportToAzure\"}"))
                .isTrue();
        assertThat(JobDocuments.sameProperties(
                        "{\"transferType\":\"ImportToAzure\"}",
                        "{\"deliveryType\":\"Scheduled\",\"transferType\":\"ImportToAzure\"}"))
                .isFalse();
    }
}
