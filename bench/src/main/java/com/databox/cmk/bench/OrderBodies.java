package com.databox.cmk.bench;

/** Bodies of the app's order requests, as the README's customer-managed-key flow sends them. */
final class OrderBodies {
    private OrderBodies() {}

    /** An order in westus with the user-assigned identity. */
    static String create(String identity) {
        return "{\"location\":\"westus\",\"identity\":{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\""
                + identity + "\":{}}}}";
    }

    static String enable(String kekUrl, String vaultId, String identity) {
        return "{\"kekUrl\":\"" + kekUrl + "\",\"kekVaultResourceID\":\"" + vaultId
                + "\",\"identityProperties\":{\"type\":\"UserAssigned\",\"userAssigned\":{\"resourceId\":\"" + identity
                + "\"}}}";
    }
}
