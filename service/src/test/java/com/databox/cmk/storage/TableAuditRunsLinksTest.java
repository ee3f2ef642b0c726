package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClientBuilder;
import com.databox.cmk.audit.ShardLink;
import com.databox.cmk.audit.ShardResult;
import com.databox.cmk.order.HistoryEntry;
import com.databox.cmk.order.KeyProtection;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderIdentity;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderPage;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappedUnlockKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Where each audit shard starts, on Azurite's tables: one link per shard whoever writes it, the
 * page's continuation kept as Table Storage gave it, and the run's report counting finished shards only.
 */
class TableAuditRunsLinksTest {
    private static final String MICROSOFT_KEY =
            "https://databox-mmk.vault.azure.net/keys/mmk/0123456789abcdef0123456789abcdef";

    private final TableAuditRuns runs = new TableAuditRuns(new TableClientBuilder()
            .connectionString(Azurite.shared().connectionString())
            .tableName("auditlinks")
            .buildClient());
    private final String runId = UUID.randomUUID().toString();

    @Test
    void aShardIsLinkedOnceAndItsQueuingIsRecorded() {
        runs.start(runId, Instant.now(), "test", null);
        assertThat(runs.shardLink(runId, 1)).isEmpty();

        assertThat(runs.linkShard(runId, 1, "first;continuation", Instant.now()))
                .isEqualTo(new ShardLink(1, "first;continuation", false));
        // A shard delivered again links the same shard again: it gets the link as first written.
        assertThat(runs.linkShard(runId, 1, "another", Instant.now()))
                .isEqualTo(new ShardLink(1, "first;continuation", false));
        runs.shardLinkQueued(runId, 1);
        assertThat(runs.linkShard(runId, 1, "another", Instant.now()))
                .isEqualTo(new ShardLink(1, "first;continuation", true));
        assertThat(runs.linkShard(runId, 0, null, Instant.now())).isEqualTo(new ShardLink(0, null, false));
        assertThat(runs.shardLink(runId, 0)).contains(new ShardLink(0, null, false));

        // Links are not finished shards.
        assertThat(runs.report(runId).orElseThrow().shardsDone()).isZero();
    }

    @Test
    void aRunLastMovedOnAtTheLatestOfItsStartItsLinksAndItsShardsResultsAsTheServiceWroteThem() {
        Instant started = Instant.parse("2026-11-30T10:00:00.123Z");
        runs.start(runId, started, "test", null);
        assertThat(runs.report(runId).orElseThrow().lastProgressAt()).isEqualTo(started);

        Instant linked = started.plus(Duration.ofMinutes(20));
        runs.linkShard(runId, 1, "first;continuation", linked);
        assertThat(runs.report(runId).orElseThrow().lastProgressAt()).isEqualTo(linked);
        // A shard delivered again links its next one again: that is not the run moving on.
        runs.linkShard(runId, 1, "first;continuation", linked.plus(Duration.ofHours(1)));
        assertThat(runs.report(runId).orElseThrow().lastProgressAt()).isEqualTo(linked);

        Instant finished = linked.plus(Duration.ofMinutes(3));
        runs.recordShard(runId, new ShardResult(0, finished, 4, 4, 0, 0, 0));
        runs.recordShard(runId, new ShardResult(1, finished.minusSeconds(60), 4, 4, 0, 0, 0));
        assertThat(runs.report(runId).orElseThrow().lastProgressAt()).isEqualTo(finished);
    }

    @Test
    void aRunStartsWithItsFirstShardLinkedEvenOnATableNotMadeYet() {
        TableAuditRuns fresh =
                new TableAuditRuns(Azurite.shared().newTable("auditsfresh").buildClient());
        fresh.start(runId, Instant.now(), "test", null);
        assertThat(fresh.shardLink(runId, 0)).contains(new ShardLink(0, null, false));
        assertThat(fresh.planned(runId).orElseThrow().shards()).isZero();
    }

    @Test
    void aPagesContinuationKeptInTheLinkReadsTheNextPageOfEveryTenant() {
        TableOrders orders = new TableOrders(Azurite.shared().newTable("links").buildClient());
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TenantId tenant = new TenantId(UUID.randomUUID().toString());
            for (String name : List.of("link-a", "link-b")) {
                create(orders, new OrderRef(tenant, new OrderName(name)));
                written.add(tenant.value() + "/" + name);
            }
        }
        runs.start(runId, Instant.now(), "timer", null);
        List<String> read = new ArrayList<>();
        String from = null;
        int index = 0;
        do {
            OrderPage page = orders.list(
                    null, 4, runs.linkShard(runId, index, from, Instant.now()).from());
            page.orders()
                    .forEach(order -> read.add(
                            order.ref().tenant().value() + "/" + order.name().value()));
            from = page.continuation();
            index++;
        } while (from != null);
        assertThat(index).isEqualTo(2);
        assertThat(read).containsExactlyElementsOf(written.stream().sorted().toList());
    }

    private static void create(TableOrders orders, OrderRef ref) {
        Instant now = Instant.now();
        orders.create(
                Order.draft(ref, "westus", OrderIdentity.NONE, now)
                        .withProtection(
                                KeyProtection.MICROSOFT_MANAGED,
                                new WrappedUnlockKey(KeyUrl.parse(MICROSOFT_KEY), "RSA-OAEP-256", new byte[256])),
                new HistoryEntry(now, "create", "test", "links"));
    }
}
