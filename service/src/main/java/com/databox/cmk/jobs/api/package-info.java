/**
 * The ARM HTTP edge of the jobs surface: routes, api-versions, ARM's JSON shapes and error envelope, and the
 * long-running-operation headers.
 */
package com.databox.cmk.jobs.api;
