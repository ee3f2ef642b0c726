/**
 * The device unlock key: wrapping it with a key ({@code KeyUrl}, the Key Vault key that wraps it) as an
 * identity (a managed one named by its {@code UserAssignedIdentityId}) and proving every wrap by unwrapping it
 * again before anything is stored. Callers hold the key's bytes only for one operation and zero them after.
 */
package com.databox.cmk.unlockkey;
