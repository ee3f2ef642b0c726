package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.databox.cmk.audit.PairCheck;
import com.databox.cmk.audit.PairChecks.PairState;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.testing.Azurite;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The pair claims audit shards share, on Azurite's table: one claimant, released claims, kept proofs. */
class TableAuditRunsPairsTest {
    private final TableAuditRuns runs;
    private final String runId = UUID.randomUUID().toString();
    private final String pairKey = "https://vault.example/keys/k/v1|user:" + UUID.randomUUID();

    TableAuditRunsPairsTest() {
        TableClient table = new TableClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .tableName("auditpairs")
                .buildClient();
        runs = new TableAuditRuns(table);
        runs.start(runId, Instant.now(), "test", null);
    }

    @Test
    void exactlyOneShardClaimsAPair() {
        assertThat(runs.pairState(runId, pairKey)).isInstanceOf(PairState.Unclaimed.class);
        assertThat(runs.claimPairCheck(runId, pairKey)).isTrue();
        assertThat(runs.claimPairCheck(runId, pairKey)).isFalse();
        assertThat(runs.pairState(runId, pairKey)).isInstanceOf(PairState.Claimed.class);
    }

    @Test
    void aReleasedClaimCanBeClaimedAgain() {
        runs.claimPairCheck(runId, pairKey);
        runs.releasePairCheck(runId, pairKey);
        assertThat(runs.pairState(runId, pairKey)).isInstanceOf(PairState.Unclaimed.class);
        assertThat(runs.claimPairCheck(runId, pairKey)).isTrue();
    }

    @Test
    void releasingKeepsAProofAndIsHarmlessWhenNothingIsClaimed() {
        runs.releasePairCheck(runId, pairKey);
        runs.claimPairCheck(runId, pairKey);
        PairCheck refused = new PairCheck(
                ErrorCode.SsemUserErrorKeyVaultBadRequestException,
                "no unwrapKey",
                java.time.Instant.parse("2026-12-04T05:30:00.123Z"),
                "Allow unwrapKey in the key version's key_ops.");
        runs.recordPairCheck(runId, pairKey, refused);
        runs.releasePairCheck(runId, pairKey);
        assertThat(runs.pairState(runId, pairKey)).isEqualTo(new PairState.Proven(refused));
    }
}
