/**
 * The emulator's Microsoft Entra ID: it mints and checks the access tokens of managed identities
 * ({@link com.databox.cmk.emulator.entra.TokenIssuer}, {@link com.databox.cmk.emulator.entra.TokenVerifier}),
 * and issues the service's callers' tokens with app roles, with the OpenID discovery document and JWKS
 * the service validates them against ({@link com.databox.cmk.emulator.entra.EntraIssuer}).
 */
package com.databox.cmk.emulator.entra;
