/**
 * The AWS Lambda packaging of the same REST resources (docs/DEPLOY-AWS-LAMBDA.md): the audit's shard drain
 * that an EventBridge schedule calls, in place of the Functions host's queue trigger.
 */
package com.databox.cmk.lambda;
