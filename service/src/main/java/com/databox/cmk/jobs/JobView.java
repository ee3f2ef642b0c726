package com.databox.cmk.jobs;

import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.Order;

/** A job as ARM shows it: its ARM-only record and the order behind it. */
public record JobView(JobRecord record, Order order) {
    /**
     * The job's ETag: it changes when the order changes and when the job's ARM data (tags, details)
     * does, so that {@code If-Match} guards both.
     */
    public String etag() {
        return "W/\"" + Sha256.hex(order.etag() + "\n" + record.etag()).substring(0, 24) + "\"";
    }

    /** {@code If-Match}: absent or {@code *} matches any version; otherwise it must name {@link #etag()}. */
    public boolean matches(IfMatch ifMatch) {
        return ifMatch.matches(etag());
    }
}
