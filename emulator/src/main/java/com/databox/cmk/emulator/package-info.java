/**
 * The local Key Vault, managed-identity, Entra ID and ARM emulator (docs/EMULATOR.md), and its entry
 * points: {@link com.databox.cmk.emulator.KeyVaultEmulator} (start it in-process and wire the protocols
 * together), {@link com.databox.cmk.emulator.EmulatorOptions}, {@link com.databox.cmk.emulator.EmulatorMain}
 * (the runnable jar) and {@link com.databox.cmk.emulator.EmulatorAdminClient} (the admin API from Java).
 * The sub-packages hold one protocol each; only this package is meant for users of the emulator.
 */
package com.databox.cmk.emulator;
