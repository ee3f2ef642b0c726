/**
 * The identity sweep (issue 15, item 6): identities that no order uses any more are un-assigned
 * from the function app, and the identities the service made for orders that are finished are
 * deleted. Only identities the service itself assigned or made are ever touched: they are
 * registered ({@link IdentityRegistry}) before they are assigned, so an identity the app uses
 * for itself is never a candidate.
 */
package com.databox.cmk.sweep;
