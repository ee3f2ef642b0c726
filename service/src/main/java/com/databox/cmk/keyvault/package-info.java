/**
 * The Key Vault adapter: SDK clients trusting only what is configured, the gateway the domain calls, and
 * the one mapping of Key Vault and identity failures to the contract's error codes.
 */
package com.databox.cmk.keyvault;
