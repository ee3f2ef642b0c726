package com.databox.cmk.audit;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.TenantId;

/**
 * An order whose key could not be used by its identity during an audit run. {@code tenantId}: the order's tenant, which tells apart
 * orders of the same name in the timer's run of every tenant (order names are unique within a tenant only);
 * null in a finding recorded before 2026-12-04, which named the order only.
 */
public record Finding(TenantId tenantId, OrderName orderName, ErrorCode errorCode, String message, String resolution) {}
