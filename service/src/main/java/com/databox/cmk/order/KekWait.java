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
     * What the customer should do: {@code resolution}, the check's own advice when it was more precise
     * than its code's (which key operation to allow, say; null otherwise), else the code's.
     */
    public String resolutionText() {
        return resolution != null ? resolution : errorCode.resolution();
    }
}
