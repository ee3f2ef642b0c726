package com.databox.cmk.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Credentials, and the tokens they hold, stay bounded however many identities callers name (issue #15). */
class ManagedIdentityCredentialsTest {
    private final ManagedIdentityCredentials credentials =
            new ManagedIdentityCredentials(request -> Mono.error(new IllegalStateException("no call expected")));

    @Test
    void tenThousandDistinctIdentitiesKeepAtMostTheBound() {
        for (int i = 0; i < 10_000; i++) {
            credentials.credential(new WrappingIdentity.ManagedIdentity(new UserAssignedIdentityId(
                    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-"
                            + i)));
        }
        assertThat(credentials.cached()).isEqualTo(ManagedIdentityCredentials.MAX_IDENTITIES);
    }

    @Test
    void anIdentityInUseKeepsItsCredentialAndSoItsTokens() {
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(credentials.credential(WrappingIdentity.SERVICE));
        }
        assertThat(seen).hasSize(1);
    }
}
