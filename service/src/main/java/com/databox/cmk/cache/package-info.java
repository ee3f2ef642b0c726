/**
 * Caches of clients and credentials that stay bounded in size and time however many distinct keys
 * callers name (issue #15: a cache per key URL grew without end).
 */
package com.databox.cmk.cache;
