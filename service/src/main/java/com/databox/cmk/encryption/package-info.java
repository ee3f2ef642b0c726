/**
 * The customer-managed-key operations (enable, change key, change identity, revert, validate) and the key
 * requirements they check: key URL and vault host rules, key type and size, vault recovery settings,
 * permissions and a real wrap/unwrap. The Key Vault port is {@code KeyVaultGateway}; the domain knows nothing
 * of the SDK.
 */
package com.databox.cmk.encryption;
