/**
 * The order aggregate: its name, stage, identities, key protection and key health, the rules of what may
 * change in which stage (methods of {@code Order} returning an {@code Outcome}), typed key and resource IDs,
 * the repository port {@code Orders} and the order use cases in {@code OrderService}.
 */
package com.databox.cmk.order;
