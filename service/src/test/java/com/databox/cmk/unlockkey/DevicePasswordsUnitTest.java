package com.databox.cmk.unlockkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Data Box device password rules (issue 11, item 9). */
class DevicePasswordsUnitTest {

    @Test
    void everyGeneratedPasswordMeetsTheRules() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 5_000; i++) {
            String password = new String(DevicePasswords.generate(random), StandardCharsets.US_ASCII);
            assertThat(DevicePasswords.brokenRule(password))
                    .as(password.length() + " characters")
                    .isNull();
        }
    }

    @Test
    void acceptsAPasswordThatMeetsEveryRule() {
        DevicePasswords.requireValid("Secure#Pa55w4rd");
        DevicePasswords.requireValid("A1!" + "x".repeat(61));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Shrt#P4ss", // 9 characters
                "secure#pa55w4rd", // no upper-case letter
                "Secure#Passw@rd", // no digit
                "SecurePa55w4rd", // no special character
                "Secure#Pa55w4rdI", // I
                "Secure#Pa55w4rdl", // l
                "Secure#Pa55w4rdo", // o
                "Secure#Pa55w4rd0", // 0
                "Secure Pa55w4rd#", // a space
            })
    void refusesAPasswordThatBreaksARuleWithoutQuotingIt(String password) {
        assertThatThrownBy(() -> DevicePasswords.requireValid(password))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.InvalidRequest);
                    assertThat(e.target()).isEqualTo("devicePassword");
                    assertThat(e.getMessage()).doesNotContain(password);
                });
    }

    @Test
    void refusesAPasswordLongerThan64Characters() {
        assertThat(DevicePasswords.brokenRule("A1!" + "x".repeat(62))).contains("64");
    }
}
