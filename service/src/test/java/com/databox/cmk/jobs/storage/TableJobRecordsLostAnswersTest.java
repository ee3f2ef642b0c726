package com.databox.cmk.jobs.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableServiceException;
import com.databox.cmk.error.UnconfirmedWriteException;
import com.databox.cmk.jobs.JobCaller;
import com.databox.cmk.jobs.JobException;
import com.databox.cmk.jobs.JobKey;
import com.databox.cmk.jobs.JobRecord;
import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.LostAnswers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job's write whose answer is lost after Table Storage wrote it, sent again by the client: it is the
 * write, not another request creating or changing the job; another request's write still is (on Azurite).
 */
class TableJobRecordsLostAnswersTest {
    private final LostAnswers loseAnswers = new LostAnswers();
    private final TableClient table =
            Azurite.shared().newTable("jobslostanswers").addPolicy(loseAnswers).buildClient();
    private final TableJobRecords jobs = new TableJobRecords(table);
    private final JobKey key = new JobKey(UUID.randomUUID().toString(), "rg-lost", "job-lost-1");
    private final JobCaller caller =
            new JobCaller("caller", "User", UUID.randomUUID().toString());
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    /** Made before, so that the answer lost is the write's (a first write to a missing table makes it). */
    @BeforeEach
    void tableExists() {
        try {
            table.createTable();
        } catch (TableServiceException e) {
            assertThat(e.getResponse().getStatusCode()).isEqualTo(409);
        }
    }

    @Test
    void anInsertWrittenThenSentAgainIsTheInsertedJobNotAConflict() {
        loseAnswers.loseNext(1);

        JobRecord inserted = jobs.insert(job("Creating"));

        assertThat(loseAnswers.allLost()).as("the first answer was lost").isTrue();
        assertThat(inserted.etag()).isEqualTo(jobs.find(key).orElseThrow().etag());
        assertThat(inserted.state()).isEqualTo("Creating");
    }

    @Test
    void aReplaceWrittenThenSentAgainIsTheReplacedJobNotAStaleOne() {
        JobRecord inserted = jobs.insert(job("Creating"));
        loseAnswers.loseNext(1);

        JobRecord replaced = jobs.replace(inserted.withState("Succeeded"));

        assertThat(loseAnswers.allLost()).as("the first answer was lost").isTrue();
        JobRecord stored = jobs.find(key).orElseThrow();
        assertThat(replaced.etag()).isEqualTo(stored.etag()).isNotEqualTo(inserted.etag());
        assertThat(stored.state()).isEqualTo("Succeeded");
    }

    @Test
    void anInsertWhoseEveryAnswerWasLostIsFoundWrittenByItself() {
        loseAnswers.loseNext(Integer.MAX_VALUE);

        JobRecord inserted = jobs.insert(job("Creating"));

        loseAnswers.loseNext(0);
        assertThat(inserted.etag()).isEqualTo(jobs.find(key).orElseThrow().etag());
    }

    @Test
    void anInsertStoredWhenStorageStoppedAnsweringIsUnconfirmedNotRefused() {
        loseAnswers.stopAnsweringAfterNextWrite();

        assertThatThrownBy(() -> jobs.insert(job("Creating")))
                .isInstanceOf(UnconfirmedWriteException.class)
                .hasMessageContaining("may have been made")
                .hasMessageContaining(key.name());

        loseAnswers.answerAgain();
        assertThat(jobs.find(key)).get().extracting(JobRecord::state).isEqualTo("Creating");
    }

    @Test
    void anInsertSentAgainAndRefusedWhileStorageStopsAnsweringIsUnconfirmedNotRefused() {
        loseAnswers.loseNextThenStopAfter(1);

        assertThatThrownBy(() -> jobs.insert(job("Creating")))
                .isInstanceOf(UnconfirmedWriteException.class)
                .hasMessageContaining(key.name());

        loseAnswers.answerAgain();
        assertThat(jobs.find(key)).get().extracting(JobRecord::state).isEqualTo("Creating");
    }

    @Test
    void aReplaceKnownStoredWhoseReadBackGoesUnansweredIsUnconfirmedNotRefused() {
        JobRecord inserted = jobs.insert(job("Creating"));
        loseAnswers.loseNextThenStopAfter(2);

        assertThatThrownBy(() -> jobs.replace(inserted.withState("Succeeded")))
                .isInstanceOf(UnconfirmedWriteException.class)
                .hasMessageContaining(key.name());

        loseAnswers.answerAgain();
        assertThat(jobs.find(key)).get().extracting(JobRecord::state).isEqualTo("Succeeded");
    }

    @Test
    void anotherRequestsJobIsStillAConflictAndItsChangeStillStale() {
        JobRecord inserted = jobs.insert(job("Creating"));
        jobs.replace(inserted.withState("Succeeded"));

        assertThatThrownBy(() -> jobs.insert(job("Creating")))
                .isInstanceOfSatisfying(
                        JobException.class, e -> assertThat(e.kind()).isEqualTo(JobException.Kind.Conflict));
        assertThatThrownBy(() -> jobs.replace(inserted.withState("Failed")))
                .isInstanceOfSatisfying(
                        JobException.class, e -> assertThat(e.kind()).isEqualTo(JobException.Kind.Stale));
        assertThat(jobs.find(key).orElseThrow().state()).isEqualTo("Succeeded");
    }

    private JobRecord job(String state) {
        return new JobRecord(
                key, "order-lost-1", state, caller.tenantId(), null, null, null, caller, now, caller, now, null);
    }
}
