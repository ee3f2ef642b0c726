package com.databox.cmk.testing;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * A table client's policy (per try) that lets the next {@link #loseNext} writes (POSTs: Table Storage's
 * transactions) through to the service and then breaks their answers, as a connection closed on the way
 * back does: the client's retry sends the write again, and meets the first one's write.
 */
public final class LostAnswers implements HttpPipelinePolicy {
    private final AtomicInteger toLose = new AtomicInteger();
    private final AtomicInteger toDrop = new AtomicInteger();
    private final AtomicBoolean stopAfterNextWrite = new AtomicBoolean();
    private final AtomicInteger answersBeforeStop = new AtomicInteger(-1);
    private volatile boolean stopped;

    public void loseNext(int writes) {
        toLose.set(writes);
    }

    /** The next {@code writes} writes never reach storage (no connection); reads go through. */
    public void dropNext(int writes) {
        toDrop.set(writes);
    }

    /** The next write goes through, and from its answer on storage answers nothing, until {@link #answerAgain}. */
    public void stopAnsweringAfterNextWrite() {
        stopAfterNextWrite.set(true);
    }

    /**
     * Loses the next write's answer, lets the next {@code answers} answers through (the write sent again, a
     * read of whether it was stored), then answers nothing until {@link #answerAgain}.
     */
    public void loseNextThenStopAfter(int answers) {
        loseNext(1);
        answersBeforeStop.set(answers);
    }

    public void answerAgain() {
        answersBeforeStop.set(-1);
        stopped = false;
    }

    /** Whether every answer it was told to lose was lost. */
    public boolean allLost() {
        return toLose.get() == 0;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        if (stopped || dropsThisWrite(context)) {
            return Mono.error(noAnswer());
        }
        return next.process().flatMap(response -> {
            if (losesThisAnswer(context)) {
                response.close();
                return Mono.error(lostAnswer());
            }
            countAnswerLetThrough();
            return Mono.just(response);
        });
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        if (stopped || dropsThisWrite(context)) {
            throw new UncheckedIOException(noAnswer());
        }
        HttpResponse response = next.processSync();
        if (losesThisAnswer(context)) {
            response.close();
            throw new UncheckedIOException(lostAnswer());
        }
        countAnswerLetThrough();
        return response;
    }

    private void countAnswerLetThrough() {
        if (answersBeforeStop.get() > 0 && toLose.get() == 0 && answersBeforeStop.decrementAndGet() == 0) {
            stopped = true;
        }
    }

    private boolean dropsThisWrite(HttpPipelineCallContext context) {
        return context.getHttpRequest().getHttpMethod() == HttpMethod.POST
                && toDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    private boolean losesThisAnswer(HttpPipelineCallContext context) {
        if (context.getHttpRequest().getHttpMethod() != HttpMethod.POST) {
            return false;
        }
        if (stopAfterNextWrite.getAndSet(false)) {
            stopped = true;
            return true;
        }
        return toLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    private static IOException noAnswer() {
        return new IOException("Storage stopped answering (the test's)");
    }

    private static IOException lostAnswer() {
        return new IOException("Connection was closed after the write was made (the test's)");
    }
}
