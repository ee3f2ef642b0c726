/**
 * Shared plumbing of the emulator's servers: JSON and base64url helpers, and the small helpers around
 * the JDK's {@code HttpExchange}. No protocol rules live here.
 */
package com.databox.cmk.emulator.http;
