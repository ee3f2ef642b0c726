package com.databox.cmk.jobs;

import com.databox.cmk.order.Order;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A job as ARM shows it: its ARM-only record and the order behind it. */
public record JobView(JobRecord record, Order order) {
    /**
     * The job's ETag: it changes when the order changes and when the job's ARM data (tags, details)
     * does, so that {@code If-Match} guards both.
     */
    public String etag() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((order.etag() + "\n" + record.etag()).getBytes(StandardCharsets.UTF_8));
            return "W/\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code If-Match}: absent or {@code *} matches any version; otherwise it must be {@link #etag()}. */
    public boolean matches(String ifMatch) {
        return ifMatch == null || "*".equals(ifMatch.trim()) || ifMatch.trim().equals(etag());
    }
}
