/**
 * The slice of Azure Resource Manager the service uses: user-assigned identities and the function app's
 * identity assignments, with ARM's token checks and error format.
 */
package com.databox.cmk.emulator.arm;
