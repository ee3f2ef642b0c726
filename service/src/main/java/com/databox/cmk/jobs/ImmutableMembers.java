package com.databox.cmk.jobs;

import com.databox.cmk.order.Order;

/**
 * What a PATCH sent of the members a job is created with and keeps: {@code location}, {@code sku} (JSON text of the
 * members sent), {@code properties.transferType} and {@code properties.deliveryType} (the spec's
 * UpdateJobProperties has neither), as the request's reader checked and spelled them; {@code null}: not sent.
 *
 * <p>ARM's RPC ("PATCH ... immutable properties") and OAPI030: sent with the job's own value, as a client sending
 * back the body a GET answered does ({@code az rest --method patch}), a member passes and writes nothing; with
 * another, the PATCH is refused, saying the member cannot be changed (round-trip bug bash rt1 F7: each was refused
 * as "not known here", also with the job's own value).
 */
public record ImmutableMembers(String location, String sku, String transferType, String deliveryType) {
    public static final ImmutableMembers NONE = new ImmutableMembers(null, null, null, null);

    /**
     * Refuses ({@code 400 InvalidRequestContent}, the member's path as target) a member sent with another value than
     * the job's: its location compared as ARM compares regions (in any case, without spaces), each member of the SKU
     * sent as a JSON value, the transfer and delivery types in any case ({@code deliveryType} of a job stored without
     * one is the default it is answered with).
     */
    void requireSameAs(JobRecord record, Order order) {
        if (location != null && !JobService.sameLocation(order.location(), location)) {
            throw fixed("location", order.location());
        }
        if (sku != null && !JobDocuments.holds(record.sku(), sku)) {
            throw fixed("sku", record.sku());
        }
        String transfer = JobDocuments.text(record.properties(), "transferType");
        if (transferType != null && !transferType.equalsIgnoreCase(transfer)) {
            throw fixed("properties.transferType", transfer);
        }
        String delivery = JobDocuments.text(record.properties(), "deliveryType");
        String jobs = delivery == null ? JobDocuments.DEFAULT_DELIVERY_TYPE : delivery;
        if (deliveryType != null && !deliveryType.equalsIgnoreCase(jobs)) {
            throw fixed("properties.deliveryType", jobs);
        }
    }

    private static JobException fixed(String member, String jobs) {
        return JobException.invalid(
                "'" + member + "' cannot be changed after the job is created"
                        + (jobs == null
                                ? ""
                                : " (the job's is " + (jobs.startsWith("{") ? jobs : "'" + jobs + "'") + ")")
                        + ": leave it out of the PATCH or send the job's own value.",
                member);
    }
}
