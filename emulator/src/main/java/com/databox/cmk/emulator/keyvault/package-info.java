/**
 * The Key Vault keys data plane: vaults (each on its own HTTPS port) with settings and access policies,
 * keys and their versions, the REST routes and their crypto, Key Vault's error answers
 * ({@link com.databox.cmk.emulator.keyvault.DataPlaneErrors}), and the test hooks on the data plane
 * (injected faults, request counts).
 */
package com.databox.cmk.emulator.keyvault;
