/**
 * Benchmark-only access to the storage adapter, to seed many orders fast without going through the API.
 */
package com.databox.cmk.storage;
