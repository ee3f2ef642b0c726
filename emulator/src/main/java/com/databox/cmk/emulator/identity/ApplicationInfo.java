package com.databox.cmk.emulator.identity;

import java.util.Map;

/**
 * An application registration as the admin API shows it: its client ID ({@code appId}), home tenant and
 * the object IDs of its service principals per tenant (lower-case tenant ID).
 */
public record ApplicationInfo(String name, String appId, String tenantId, Map<String, String> servicePrincipals) {}
