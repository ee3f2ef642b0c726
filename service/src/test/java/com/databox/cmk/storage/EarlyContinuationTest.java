package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.rest.PagedResponse;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.databox.cmk.testing.Azurite;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * On Azurite: the continuation {@link EarlyContinuation} tells from a page's headers is the one the
 * Tables SDK hands back with the parsed page, across partitions, within one, and null on the last
 * page. Should an SDK upgrade change how it makes its continuations, this fails before an audit
 * links a page that does not follow.
 */
class EarlyContinuationTest {
    private final TableClient table = Azurite.shared()
            .newTable("early")
            .addPolicy(new EarlyContinuation())
            .buildClient();

    @Test
    void thePagesHeadersTellTheContinuationTheSdkHandsBack() {
        table.createTable();
        List<String> partitions = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            String partition = UUID.randomUUID().toString();
            partitions.add(partition);
            for (int r = 0; r < 3; r++) {
                table.createEntity(new TableEntity(partition, "order~" + r).addProperty("Stage", "Draft"));
            }
        }

        // Every partition, two rows a page: continuations within a partition and across partitions.
        List<String> acrossPartitions = pageThrough(new ListEntitiesOptions().setFilter("RowKey gt 'order~'"), 2);
        assertThat(acrossPartitions).hasSize(5).last().isNull();
        assertThat(acrossPartitions.subList(0, 4))
                .allSatisfy(continuation -> assertThat(continuation).contains(";"));
        // One partition in pages of one.
        assertThat(pageThrough(
                        new ListEntitiesOptions().setFilter("PartitionKey eq '" + partitions.getFirst() + "'"), 1))
                .hasSize(3)
                .last()
                .isNull();
    }

    /** The continuations of every page, each checked against the one the SDK made for the page. */
    private List<String> pageThrough(ListEntitiesOptions options, int top) {
        List<String> continuations = new ArrayList<>();
        String from = null;
        do {
            List<String> told = new ArrayList<>();
            Iterator<PagedResponse<TableEntity>> pages = table.listEntities(
                            options.setTop(top),
                            null,
                            EarlyContinuation.context(new EarlyContinuation.Listener(told::add)))
                    .iterableByPage(from, top)
                    .iterator();
            PagedResponse<TableEntity> page = pages.next();
            assertThat(told).as("told once, from the answer's headers").hasSize(1);
            assertThat(told.getFirst()).isEqualTo(page.getContinuationToken());
            from = page.getContinuationToken();
            continuations.add(from);
        } while (from != null);
        return continuations;
    }
}
