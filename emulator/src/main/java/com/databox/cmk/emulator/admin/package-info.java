/**
 * The emulator's control plane ({@code /admin} on the plain-HTTP loopback port): set up vaults, keys,
 * identities and access policies, inject faults, read request counts, mint callers' tokens.
 */
package com.databox.cmk.emulator.admin;
