package com.databox.cmk.order;

import com.databox.cmk.error.ErrorCode;
import java.time.Instant;

/**
 * An order held before {@code target} because its customer-managed key could not be used: the
 * job's stage status is {@code WaitingForCustomerActionForKek} until the customer fixes the key
 * and resumes it ({@code mitigate}). The message names the key and the cause, never key material.
 *
 * @see <a href="../../../../../../../../docs/API.md">API.md, "Data Copy and mitigate"</a>
 */
public record KekWait(Stage target, ErrorCode errorCode, String message, Instant since, String resolution) {
    public static final String STAGE_STATUS = "WaitingForCustomerActionForKek";

    /** A wait whose resolution is its code's own (a wait stored before resolutions were kept, say). */
    public KekWait(Stage target, ErrorCode errorCode, String message, Instant since) {
        this(target, errorCode, message, since, null);
    }

    /**
     * The last step of every held order's remedy: fixing the key does not release it (the seed's fixes end at
     * the key vault), the customer resumes it, and a client of the jobs API's first version has no such call.
     */
    static final String RESUME = " Then resume the order: mitigate it with the customer resolution code Resume"
            + " (in the Data Box jobs API, api-version 2022-12-01 or later); while the key still cannot be"
            + " used, the order keeps waiting.";

    /**
     * The wait once a change of the order's key (or of the identity reaching it) has proven the new configuration:
     * only the resume is left, and the finding the order was held for no longer describes its key (bug bash bb97 F2:
     * after a revert to the Microsoft-managed key the order still told the customer to extend the old key's expiry).
     * The code stays, as the order still waits for what it was held for: the customer's resume.
     */
    public KekWait provenSince(String change) {
        return new KekWait(
                target,
                errorCode,
                "The order was held before " + target + " for " + errorCode + "; its key configuration was changed"
                        + " since (" + change + ") and proven usable.",
                since,
                "Nothing is left to fix on the key.");
    }

    /**
     * What the customer should do: {@code resolution}, the check's own advice when it was more precise
     * than its code's (which key operation to allow, say; null otherwise), else the code's; then resume.
     */
    public String resolutionText() {
        return (resolution != null ? resolution : errorCode.resolution()) + RESUME;
    }
}
