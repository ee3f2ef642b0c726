package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableServiceException;
import com.databox.cmk.audit.ShardLink;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.error.UnconfirmedWriteException;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderConflictException;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.StaleOrderException;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.LostAnswers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write whose answer is lost after Table Storage wrote it (the connection closed on the way back), so that
 * the client sends the batch again and that second batch is refused by the first one's write: the write
 * happened, and the caller is told so, not that someone else created or changed the order, nor that an audit
 * run it started failed to start, nor that another shard claimed the pair it claimed (on Azurite).
 */
class LostAnswersTest {

    private final LostAnswers loseAnswers = new LostAnswers();

    private final TableClient table = Azurite.shared()
            .newTable("orderslostanswers")
            .addPolicy(new TransactionEtags())
            .addPolicy(loseAnswers)
            .buildClient();
    private final TableClient runsTable = Azurite.shared()
            .newTable("auditslostanswers")
            .addPolicy(loseAnswers)
            .buildClient();
    private final TableOrders orders = new TableOrders(table);
    private final TableAuditRuns runs = new TableAuditRuns(runsTable);
    private final OrderRef ref =
            new OrderRef(new TenantId(UUID.randomUUID().toString()), new OrderName("lost-answers-1"));
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    /** Made before, so that the answer lost is the write's (a first write to a missing table makes it). */
    @BeforeEach
    void tablesExist() {
        for (TableClient each : List.of(table, runsTable)) {
            try {
                each.createTable();
            } catch (TableServiceException e) {
                assertThat(e.getResponse().getStatusCode()).isEqualTo(409);
            }
        }
    }

    @Test
    void aCreateWrittenThenSentAgainIsTheCreatedOrderNotAConflict() {
        loseAnswers.loseNext(1);

        Order created = orders.create(draft(), new HistoryEntry(now, "create", "test", "lost answer"));

        assertThat(loseAnswers.allLost()).as("the first answer was lost").isTrue();
        Order stored = orders.find(ref).orElseThrow();
        assertThat(created.etag()).isEqualTo(stored.etag());
        assertThat(created.wrappedUnlockKey()).isEqualTo(stored.wrappedUnlockKey());
        assertThat(historyRows()).as("the batch sent again wrote nothing").isEqualTo(1);
    }

    @Test
    void aReplaceWrittenThenSentAgainIsTheReplacedOrderNotAStaleOne() {
        Order created = orders.create(draft(), new HistoryEntry(now, "create", "test", "first"));
        loseAnswers.loseNext(1);

        Order replaced = orders.replace(
                created.withKeyHealth(KeyHealth.healthy(now)),
                new HistoryEntry(now, "validate", "test", "lost answer"),
                List.of());

        assertThat(loseAnswers.allLost()).as("the first answer was lost").isTrue();
        Order stored = orders.find(ref).orElseThrow();
        assertThat(replaced.etag()).isEqualTo(stored.etag()).isNotEqualTo(created.etag());
        assertThat(stored.keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
        assertThat(historyRows()).isEqualTo(2);
    }

    /**
     * A conditional write storage never received, while another write changed the order: the write was refused as
     * much as if storage had answered, so it is stale (412 to a caller's If-Match, a retry on the newer order
     * otherwise), not an outage to retry with the same ETag (the reliability bug bash, 2026-12-05, F7).
     */
    @Test
    void aWriteStorageNeverGotIsStaleWhenAnotherWriteChangedTheOrder() {
        Order created = orders.create(draft(), new HistoryEntry(now, "create", "test", "first"));
        Order winner = orders.replace(
                created.withKeyHealth(KeyHealth.healthy(now)),
                new HistoryEntry(now, "validate", "test", "the winner"),
                List.of());
        loseAnswers.dropNext(10);

        assertThatThrownBy(() -> orders.replace(
                        created.withKeyHealth(
                                KeyHealth.accessLost(ErrorCode.SsemUserErrorEncryptionKeyDisabled, "lost", now)),
                        new HistoryEntry(now, "validate", "test", "never sent"),
                        List.of()))
                .isInstanceOf(StaleOrderException.class);
        assertThat(orders.find(ref).orElseThrow().etag()).isEqualTo(winner.etag());
    }

    @Test
    void aWriteStorageNeverGotIsAnOutageWhenNothingElseChangedTheOrder() {
        Order created = orders.create(draft(), new HistoryEntry(now, "create", "test", "first"));
        loseAnswers.dropNext(10);

        assertThatThrownBy(() -> orders.replace(
                        created.withKeyHealth(KeyHealth.healthy(now)),
                        new HistoryEntry(now, "validate", "test", "never sent"),
                        List.of()))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.StorageUnavailable);
                    assertThat(e).isNotInstanceOf(UnconfirmedWriteException.class);
                });
        loseAnswers.dropNext(0);
        assertThat(orders.find(ref).orElseThrow().etag()).isEqualTo(created.etag());
    }

    @Test
    void aCreateSentAgainAndRefusedWhileStorageStopsAnsweringIsUnconfirmedNotRefused() {
        // The batch sent again is refused (its own first try made the order), then the read of whether this
        // write's history row is there goes unanswered: the order may be stored, so no caller may undo
        // what it relies on (an identity made for it) as if nothing had changed.
        loseAnswers.loseNextThenStopAfter(1);

        assertThatThrownBy(() -> orders.create(draft(), new HistoryEntry(now, "create", "test", "lost answer")))
                .isInstanceOf(UnconfirmedWriteException.class)
                .hasMessageContaining("may have been made")
                .hasMessageContaining(ref.name().value());

        loseAnswers.answerAgain();
        assertThat(orders.find(ref)).as("it was stored").isPresent();
    }

    @Test
    void aReplaceKnownStoredWhoseReadBackGoesUnansweredIsUnconfirmedNotRefused() {
        Order created = orders.create(draft(), new HistoryEntry(now, "create", "test", "first"));
        // The batch sent again is refused, its history row is found, then reading the order goes unanswered.
        loseAnswers.loseNextThenStopAfter(2);

        assertThatThrownBy(() -> orders.replace(
                        created.withKeyHealth(KeyHealth.healthy(now)),
                        new HistoryEntry(now, "validate", "test", "lost answer"),
                        List.of()))
                .isInstanceOf(UnconfirmedWriteException.class)
                .hasMessageContaining(ref.name().value());

        loseAnswers.answerAgain();
        assertThat(orders.find(ref).orElseThrow().keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
    }

    @Test
    void anotherWritersOrderIsStillAConflictAndAnotherWritersChangeStillStale() {
        Order created = orders.create(draft(), new HistoryEntry(now, "create", "test", "first"));
        orders.replace(created, new HistoryEntry(now, "update", "test", "another writer"), List.of());

        assertThatThrownBy(() -> orders.create(draft(), new HistoryEntry(now, "create", "test", "second")))
                .isInstanceOf(OrderConflictException.class);
        assertThatThrownBy(() -> orders.replace(
                        created.withKeyHealth(KeyHealth.healthy(now)),
                        new HistoryEntry(now, "validate", "test", "stale"),
                        List.of()))
                .isInstanceOf(StaleOrderException.class);
        assertThat(historyRows()).isEqualTo(2);
    }

    @Test
    void anAuditRunWrittenThenSentAgainIsStartedWithItsFirstShard() {
        String runId = UUID.randomUUID().toString();
        loseAnswers.loseNext(1);

        runs.start(runId, now, "test", null);

        assertThat(loseAnswers.allLost()).as("the first answer was lost").isTrue();
        assertThat(runs.planned(runId)).isPresent();
        assertThat(runs.shardLink(runId, 0)).contains(new ShardLink(0, null, false));
    }

    @Test
    void aPairClaimWrittenThenSentAgainIsThisShardsClaimAndNoOneElses() {
        String runId = UUID.randomUUID().toString();
        runs.start(runId, now, "test", null);
        loseAnswers.loseNext(1);

        boolean claimed = runs.claimPairCheck(runId, "https://vault/keys/k/1|uai");

        assertThat(loseAnswers.allLost()).as("the first answer was lost").isTrue();
        assertThat(claimed).as("the claim written is this shard's").isTrue();
        assertThat(runs.claimPairCheck(runId, "https://vault/keys/k/1|uai"))
                .as("another shard's claim of the same pair")
                .isFalse();
    }

    private Order draft() {
        return StoredOrderDrafts.draft(ref, now);
    }

    /** The order's history rows, under {@code history~{name}~} (OrderEntityMapper's layout). */
    private long historyRows() {
        String rows = "history~" + ref.name().value() + "~";
        String filter = "PartitionKey eq '" + ref.tenant().value() + "' and RowKey gt '" + rows + "' and RowKey lt '"
                + rows + "~'";
        return table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null).stream()
                .count();
    }
}
