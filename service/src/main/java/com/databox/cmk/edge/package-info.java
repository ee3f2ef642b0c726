/**
 * The HTTP edge's own limits, applied on the event loop before a request reaches a resource or a
 * worker thread (issue #15): the request line and header sizes (414, 431) and the body's announced
 * size (413) in the contract's error shape, a deadline for the body to arrive (408), the deadline of
 * a request's Key Vault calls, and readiness that reports the requests in flight.
 */
package com.databox.cmk.edge;
