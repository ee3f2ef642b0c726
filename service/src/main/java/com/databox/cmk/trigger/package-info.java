/**
 * The Functions host's non-HTTP triggers (the audit timer and the shard queue), which the host POSTs to the
 * handler on its loopback port.
 */
package com.databox.cmk.trigger;
