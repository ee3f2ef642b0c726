/**
 * The Microsoft.DataBox/jobs resource of Azure Resource Manager (docs/DATABOX-ARM-API.md) over the same order
 * and encryption services: a job maps to one order, one PATCH is one verified change, and the ARM-only data
 * (subscription, resource group, tags, SKU, unmodelled properties) stays in the job records port.
 */
package com.databox.cmk.jobs;
