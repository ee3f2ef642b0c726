/**
 * Configuration and assembly: {@code CmkConfig} (every setting), {@code CmkServices} (the one plain-Java
 * composition root of the services, used by the CDI producers, the fault tests and the benchmark) and the
 * Quarkus wiring around it.
 */
package com.databox.cmk.app;
