/**
 * The Azure SDKs' HTTP clients (Key Vault, Table and Queue Storage, ARM, the identity endpoint) on the
 * application's own Vert.x instance: every call bounded in time (connect, response, the wait for a
 * connection) and the calls waiting for a connection bounded in number, an answer closed unread drained,
 * and the one test of whether a failed call got no answer at all, which each caller answers as an outage.
 */
package com.databox.cmk.sdkhttp;
