/**
 * The HTTP edge: the REST resources of docs/API.md, the JSON shapes they read and write, the caller taken
 * from the Entra ID token, request limits, and the one mapper from domain errors to status codes and the
 * contract's error body. Raw strings from requests are parsed into domain types here and nowhere deeper.
 */
package com.databox.cmk.api;
