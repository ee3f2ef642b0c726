/**
 * The benchmark harness (docs/BENCHMARK.md): starts the local stack, the app and its yardsticks, measures
 * them side by side in one run and writes the table.
 */
package com.databox.cmk.bench;
