/**
 * Managed identities in Azure Resource Manager: the per-order identities the service creates, customers'
 * user-assigned identities, and their assignment to the function app (the {@code IdentityDirectory} port's
 * adapter), plus managed-identity token credentials.
 */
package com.databox.cmk.identity;
