package com.databox.cmk.keyvault;

import com.databox.cmk.encryption.VaultHostPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * @param trustedCertificate a PEM certificate to trust instead of the JVM's defaults (the local
 *     emulator's); empty in production
 * @param maxRetries retries of throttled or failed Key Vault calls (the SDK honours Retry-After, up
 *     to {@code maxRetryAfter})
 * @param timeout of one attempt of one call
 * @param maxRetryAfter the longest a vault's {@code Retry-After} makes a retry wait
 * @param requestDeadline how long all the vault calls of one request may take together (each call
 *     alone, outside a request)
 * @param keyClientsPerVault key clients kept per (vault, identity) for the next calls: as many key
 *     reads at once on one vault as are common (the audit's {@code cmk.audit.concurrency})
 */
public record KeyVaultSettings(
        VaultHostPolicy hostPolicy,
        Optional<Path> trustedCertificate,
        int maxRetries,
        Duration retryDelay,
        Duration timeout,
        Duration maxRetryAfter,
        Duration requestDeadline,
        int keyClientsPerVault,
        int maxWaitingRequests) {}
