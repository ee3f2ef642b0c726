package com.databox.cmk.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.exception.HttpResponseException;
import org.junit.jupiter.api.function.Executable;

/** Checks on Key Vault errors as the SDK surfaces them (status, and the error body in the message). */
public final class EmulatorAssertions {

    private EmulatorAssertions() {}

    /** Asserts the call fails with {@code status} and that the error body carries each of {@code fragments}. */
    public static HttpResponseException assertKeyVaultError(int status, Executable call, String... fragments) {
        HttpResponseException e = assertThrows(HttpResponseException.class, call);
        assertEquals(status, e.getResponse().getStatusCode(), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
        }
        return e;
    }
}
