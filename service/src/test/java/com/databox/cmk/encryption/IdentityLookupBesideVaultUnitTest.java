package com.databox.cmk.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.app.CmkDefaults;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.order.KeyEncryptionKeyRequest;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.UserAssignedIdentities;
import com.databox.cmk.testing.PassThroughKeyVault;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.testing.inmemory.InMemoryStack.CustomerKey;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.WrappingIdentity;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 5: the directory lookup of a user-assigned identity runs beside the vault calls,
 * and its answer still decides first.
 */
class IdentityLookupBesideVaultUnitTest {
    private final InMemoryStack stack = new InMemoryStack();
    private final CustomerKey key = stack.customerKey();
    private final Order order = stack.orderWithIdentityOf(key);
    private final CountDownLatch vaultCalled = new CountDownLatch(1);
    private final AtomicBoolean lookupSawVaultCall = new AtomicBoolean();

    /** The in-memory vault, telling when its first call arrives. */
    private final KeyVaultGateway vault = new PassThroughKeyVault(stack.keyVault) {
        @Override
        public KeyDescription describe(KeyUrl keyUrl, WrappingIdentity identity) {
            vaultCalled.countDown();
            return super.describe(keyUrl, identity);
        }
    };

    /** Answers only once the vault was called, or after a long wait when the two run in series. */
    private final UserAssignedIdentities directory = resourceId -> {
        try {
            lookupSawVaultCall.set(vaultCalled.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return stack.identities.findUserAssigned(resourceId);
    };

    private ValidationReport check(UserAssignedIdentities directory) {
        KeyRequirements requirements = new KeyRequirements(
                vault, new VaultHostPolicy(CmkDefaults.vaultHostSuffixes(), List.of()), directory, stack.clock);
        return requirements.check(
                order,
                new KeyEncryptionKeyRequest(
                        RequestedKeyUrl.read(key.keyUrl()), null, KeyIdentity.userAssigned(key.identityId())),
                new byte[32]);
    }

    @Test
    void looksTheIdentityUpWhileTheVaultIsCalled() {
        ValidationReport report = check(directory);

        assertThat(report.valid()).isTrue();
        assertThat(report.wrapped()).isNotNull();
        assertThat(lookupSawVaultCall)
                .as("the lookup was still open when the vault was called")
                .isTrue();
    }

    @Test
    void anIdentityGoneFromTheDirectoryFailsTheReportAsBeforeWhateverTheVaultSaid() {
        stack.identities.delete(key.identity().resourceId());

        ValidationReport report = check(directory);

        assertThat(report.wrapped()).isNull();
        assertThat(report.firstFailure().orElseThrow().code())
                .isEqualTo(ErrorCode.SsemUserErrorKekUserIdentityNotFound);
        assertThat(report.checks())
                .extracting(Check::name, Check::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(KeyRequirements.KEY_URL, Check.Status.Passed),
                        org.assertj.core.groups.Tuple.tuple(KeyRequirements.IDENTITY, Check.Status.Failed),
                        org.assertj.core.groups.Tuple.tuple(KeyRequirements.KEY_TYPE, Check.Status.Skipped),
                        org.assertj.core.groups.Tuple.tuple(KeyRequirements.RECOVERY_LEVEL, Check.Status.Skipped),
                        org.assertj.core.groups.Tuple.tuple(KeyRequirements.KEY_ENABLED, Check.Status.Skipped),
                        org.assertj.core.groups.Tuple.tuple(KeyRequirements.PERMISSION_GET, Check.Status.Skipped),
                        org.assertj.core.groups.Tuple.tuple(KeyRequirements.PERMISSION_WRAP, Check.Status.Skipped),
                        org.assertj.core.groups.Tuple.tuple(KeyRequirements.PERMISSION_UNWRAP, Check.Status.Skipped));
    }

    @Test
    void aDirectoryThatCannotBeAskedFailsTheCheckAsBefore() {
        IllegalStateException down = new IllegalStateException("ARM is unreachable");

        assertThatThrownBy(() -> check(resourceId -> {
                    throw down;
                }))
                .isSameAs(down);
    }
}
