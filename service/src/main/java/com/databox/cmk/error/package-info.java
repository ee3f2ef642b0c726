/**
 * The service's error codes, each with its HTTP status, and the one exception that carries a code, a
 * message and a resolution out of the domain.
 */
package com.databox.cmk.error;
