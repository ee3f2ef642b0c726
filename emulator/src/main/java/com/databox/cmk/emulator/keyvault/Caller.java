package com.databox.cmk.emulator.keyvault;

/** The verified identity behind a data-plane call (from its token). */
record Caller(String objectId, String applicationId, String tenantId) {

    /** As Key Vault names a caller in its 403 messages. */
    String describe() {
        return "appid=" + applicationId + ";oid=" + objectId + ";iss=https://sts.windows.net/" + tenantId + "/";
    }
}
