package com.databox.cmk.unlockkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A wrap is proven by its unwrap before anything stores it, and the unwrapped copy of the device unlock key does not
 * outlive the proof (mutation testing mt1: the clearing could be taken out unnoticed).
 */
class UnlockKeyProtectorUnitTest {
    private static final KeyUrl KEY =
            KeyUrl.parse("https://contoso.vault.azure.net/keys/databox-kek/" + "0123456789abcdef0123456789abcdef");

    /** Wraps by reversing the bytes; unwraps through {@code unwrapped}, and keeps every copy it gave out. */
    private static final class KeptCopies implements KeyWrapping {
        final List<byte[]> givenOut = new ArrayList<>();
        private final UnaryOperator<byte[]> unwrapped;

        KeptCopies(UnaryOperator<byte[]> unwrapped) {
            this.unwrapped = unwrapped;
        }

        @Override
        public WrappedUnlockKey wrap(KeyUrl key, WrappingIdentity identity, byte[] unlockKey) {
            return new WrappedUnlockKey(key, "RSA-OAEP-256", reversed(unlockKey));
        }

        @Override
        public byte[] unwrap(WrappedUnlockKey wrapped, WrappingIdentity identity) {
            byte[] copy = unwrapped.apply(reversed(wrapped.value()));
            givenOut.add(copy);
            return copy;
        }

        private static byte[] reversed(byte[] bytes) {
            byte[] out = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                out[i] = bytes[bytes.length - 1 - i];
            }
            return out;
        }
    }

    private static byte[] password() {
        return "Secure#Pa55w4rd".getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aProvenWrapLeavesNoUnwrappedCopyOfTheUnlockKey() {
        KeptCopies vault = new KeptCopies(bytes -> bytes);
        UnlockKeyProtector protector = new UnlockKeyProtector(vault, new SecureRandom());

        WrappedUnlockKey wrapped = protector.wrapVerified(KEY, WrappingIdentity.SERVICE, password());

        assertThat(wrapped.keyUrl()).isEqualTo(KEY);
        assertThat(vault.givenOut).hasSize(1);
        assertThat(vault.givenOut.getFirst()).containsOnly((byte) 0);
    }

    @Test
    void aWrapThatDoesNotGiveTheUnlockKeyBackIsRefusedWithoutNamingItAndLeavesNoCopy() {
        KeptCopies vault = new KeptCopies(bytes -> {
            byte[] other = bytes.clone();
            other[0] ^= 1;
            return other;
        });
        UnlockKeyProtector protector = new UnlockKeyProtector(vault, new SecureRandom());

        assertThatThrownBy(() -> protector.wrapVerified(KEY, WrappingIdentity.SERVICE, password()))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.InternalError);
                    assertThat(e.getMessage()).doesNotContain("Pa55w4rd").contains(KEY.toString());
                });
        assertThat(vault.givenOut.getFirst()).containsOnly((byte) 0);
    }
}
