package com.databox.cmk.app;

import io.quarkus.vertx.VertxOptionsCustomizer;
import io.vertx.core.VertxOptions;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Every host name the service calls is resolved as given, never with the machine's search domains
 * appended: they are all fully qualified (Key Vault, Storage, ARM, Entra ID) or loopback. With
 * search domains, a name server that fails for a vault's name (SERVFAIL) and then says that the
 * name with a search domain appended does not exist (as Azure's DNS answers for its internal zone)
 * ends the lookup as "does not exist", and an outage would be taken for a deleted vault
 * (ERRORS.md; VaultNameResolutionTest).
 */
@Singleton
public class HostNamesAsGiven implements VertxOptionsCustomizer {

    @Override
    public void accept(VertxOptions options) {
        options.getAddressResolverOptions().setSearchDomains(List.of());
    }
}
