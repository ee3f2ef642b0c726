package com.databox.cmk.jobs.api;

import com.databox.cmk.api.RouteTable;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;

/**
 * The jobs surface's routes and the methods each takes, which the OpenAPI document leaves out: a {@code 405}
 * names them in {@code Allow} and {@code OPTIONS} answers them, as on {@code /api/orders} (living contract check
 * dc2 of 2026-12-07, F1, F2: no {@code Allow}, and {@code OPTIONS} named every method of {@link JobsResource}).
 * {@code JobRoutesUnitTest} compares them with the resource's annotations.
 */
@ApplicationScoped
public class JobRoutes implements RouteTable {
    static final String JOBS_OF_GROUP = "/resourceGroups/{resourceGroupName}/providers/Microsoft.DataBox/jobs";
    static final String JOBS_OF_SUBSCRIPTION = "/providers/Microsoft.DataBox/jobs";
    static final String LIST_CREDENTIALS = JobsResource.JOB + "/listCredentials";
    static final String CANCEL = JobsResource.JOB + "/cancel";
    static final String MITIGATE = JobsResource.JOB + "/mitigate";
    static final String OPERATION_STATUS = JobsResource.OPERATIONS + "/operationStatuses/{operationId}";
    static final String OPERATION_RESULT = JobsResource.OPERATIONS + "/operationResults/{operationId}";

    private static final Map<String, Set<String>> ROUTES = Map.of(
            JobsResource.BASE + JobsResource.JOB, Set.of("GET", "PUT", "PATCH", "DELETE"),
            JobsResource.BASE + JOBS_OF_GROUP, Set.of("GET"),
            JobsResource.BASE + JOBS_OF_SUBSCRIPTION, Set.of("GET"),
            JobsResource.BASE + LIST_CREDENTIALS, Set.of("POST"),
            JobsResource.BASE + CANCEL, Set.of("POST"),
            JobsResource.BASE + MITIGATE, Set.of("POST"),
            JobsResource.BASE + OPERATION_STATUS, Set.of("GET"),
            JobsResource.BASE + OPERATION_RESULT, Set.of("GET"));

    @Override
    public Map<String, Set<String>> routes() {
        return ROUTES;
    }
}
