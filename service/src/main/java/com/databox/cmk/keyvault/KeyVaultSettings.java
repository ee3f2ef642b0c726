package com.databox.cmk.keyvault;

import com.databox.cmk.encryption.VaultHostPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * @param trustedCertificate a PEM certificate to trust instead of the JVM's defaults (the local
 *     emulator's); empty in production
 * @param maxRetries retries of throttled or failed Key Vault calls (the SDK honours Retry-After)
 */
public record KeyVaultSettings(
        VaultHostPolicy hostPolicy,
        Optional<Path> trustedCertificate,
        int maxRetries,
        Duration retryDelay,
        Duration timeout) {}
