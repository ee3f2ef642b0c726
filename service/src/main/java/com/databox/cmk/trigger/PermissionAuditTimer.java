package com.databox.cmk.trigger;

import com.databox.cmk.audit.AuditRetention;
import com.databox.cmk.audit.AuditService;
import com.databox.cmk.error.FailuresInLog;
import com.databox.cmk.jobs.JobService;
import com.databox.cmk.trigger.FunctionTriggers.InvocationResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * The timer's start of the permission audit of every tenant, whichever schedule fires it (the Functions
 * host's timer; EventBridge on Lambda), and the deletions that follow it: the runs past their retention, and
 * the jobs surface's long-running operations no longer answered.
 */
@ApplicationScoped
public class PermissionAuditTimer {
    private static final Logger LOG = Logger.getLogger(PermissionAuditTimer.class);

    @Inject
    AuditService audits;

    @Inject
    AuditRetention retention;

    @Inject
    JobService jobs;

    /** Starts the run, or answers the timer's run going on; a start Storage failed throws its outage. */
    public InvocationResponse fire() {
        String runId = audits.start("timer", null).runId();
        List<String> logs = new ArrayList<>(List.of("Permission audit run " + runId + " started"));
        // The run is started: a failed deletion fails no timer (the next one deletes what is left).
        deleteExpired("audit run(s) older than the retention", retention::deleteExpiredRuns, logs);
        deleteExpired("job operation(s) no longer answered", jobs::deleteExpiredOperations, logs);
        return new InvocationResponse(Map.of(), logs, runId);
    }

    private static void deleteExpired(String what, IntSupplier deletion, List<String> logs) {
        try {
            int deleted = deletion.getAsInt();
            if (deleted > 0) {
                logs.add(deleted + " " + what + " deleted");
            }
        } catch (RuntimeException e) {
            LOG.warnf(FailuresInLog.trimmed(e), "Deleting %s failed; the next timer's run tries again", what);
        }
    }
}
