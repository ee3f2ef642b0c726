/**
 * The Table Storage adapter of the job records and of finished long-running operations.
 */
package com.databox.cmk.jobs.storage;
