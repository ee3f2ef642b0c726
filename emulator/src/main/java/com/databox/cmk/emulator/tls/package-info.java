/**
 * The self-signed TLS certificate every HTTPS port of the emulator presents (the vaults and ARM), written
 * as PEM and PKCS#12 for clients to trust explicitly.
 */
package com.databox.cmk.emulator.tls;
