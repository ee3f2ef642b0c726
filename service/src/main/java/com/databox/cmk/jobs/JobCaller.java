package com.databox.cmk.jobs;

/**
 * Who calls, as ARM's {@code systemData} and the order's history name them: {@code actor} is the
 * history's form ({@code oid:…} or {@code appid:…}), {@code type} is {@code User} or
 * {@code Application}, {@code tenantId} the token's {@code tid}.
 */
public record JobCaller(String actor, String type, String tenantId) {}
