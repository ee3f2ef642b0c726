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

    /**
     * Mutation testing (mt1): the bounds of each rule are inclusive: 12 characters, 'A' or 'Z' as the only
     * upper-case letter and '9' as the only digit meet the rules (a changed boundary in any went unnoticed).
     */
    @ParameterizedTest
    @ValueSource(strings = {"Z9#abcdefghk", "A9#abcdefghk", "Z2#abcdefghk"})
    void acceptsAPasswordAtTheEdgeOfEachRule(String password) {
        assertThat(DevicePasswords.brokenRule(password)).isNull();
    }

    /** Mutation testing (mt1): DEL (0x7f) is no printable ASCII character; {@code > 0x7f} let it through. */
    @Test
    void refusesAPasswordWithADelete() {
        assertThat(DevicePasswords.brokenRule("Secure#Pa55w4rd\u007f")).contains("printable");
        assertThat(DevicePasswords.brokenRule("Secure#Pa5w")).contains("12");
    }

    /**
     * Mutation testing (mt1): the generated password is shuffled, so its first three characters are not always an
     * upper-case letter, a digit and a special character (without the shuffle, every password began so).
     */
    @Test
    void aGeneratedPasswordDoesNotAlwaysBeginWithAnUpperCaseLetterADigitAndASpecialCharacter() {
        SecureRandom random = new SecureRandom();
        boolean otherStart = false;
        for (int i = 0; i < 200 && !otherStart; i++) {
            String password = new String(DevicePasswords.generate(random), StandardCharsets.US_ASCII);
            otherStart = !Character.isUpperCase(password.charAt(0))
                    || !Character.isDigit(password.charAt(1))
                    || Character.isLetterOrDigit(password.charAt(2));
        }
        assertThat(otherStart).isTrue();
    }
}
