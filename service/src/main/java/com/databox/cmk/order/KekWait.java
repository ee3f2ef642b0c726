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
public record KekWait(Stage target, ErrorCode errorCode, String message, Instant since) {
    public static final String STAGE_STATUS = "WaitingForCustomerActionForKek";
}
