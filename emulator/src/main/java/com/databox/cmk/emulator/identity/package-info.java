/**
 * Managed identities: the directory of identities, tenants, subscription and resource group
 * ({@link com.databox.cmk.emulator.identity.Directory}), which user-assigned identities the function app
 * holds, and the App Service managed-identity token endpoint ({@code /msi/token}).
 */
package com.databox.cmk.emulator.identity;
