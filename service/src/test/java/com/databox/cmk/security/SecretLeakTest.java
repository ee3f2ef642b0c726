package com.databox.cmk.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.Azurite;
import com.databox.cmk.testing.SeenSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test (its own surefire execution, {@code secret-scan}, see the pom) and looks
 * for secrets in everything the suite left behind: the app's test log, the surefire reports and
 * output files, and the history rows of the orders table (dumped when the app tests' stack stopped).
 * Secrets: every device password a test saw ({@code target/seen-secrets.txt}), Azurite's account key,
 * the managed-identity header value, and any bearer token (a JWT: {@code eyJ…}{@code .}).
 */
class SecretLeakTest {

    static final String IDENTITY_HEADER = "test-identity-header";
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}");

    @Test
    void noSecretAppearsInLogsReportsOrHistory() throws IOException {
        Path passwords = SeenSecrets.file();
        assertThat(passwords)
                .as("the app tests recorded the passwords they saw (run the whole suite first)")
                .exists();
        Set<String> secrets = new LinkedHashSet<>(Files.readAllLines(passwords, StandardCharsets.UTF_8));
        secrets.removeIf(String::isBlank);
        assertThat(secrets).as("recorded passwords").isNotEmpty();
        secrets.add(Azurite.ACCOUNT_KEY);
        secrets.add(IDENTITY_HEADER);

        List<Path> scanned = new ArrayList<>();
        scanned.add(SeenSecrets.appLog());
        scanned.add(SeenSecrets.historyDump());
        for (Path required : scanned) {
            assertThat(required).as("written by the app tests").exists();
        }
        // The app's log and any rotated part of it (quarkus-test.log.1, …).
        try (Stream<Path> files = Files.list(SeenSecrets.appLog().getParent())) {
            files.filter(f -> f.getFileName()
                            .toString()
                            .startsWith(SeenSecrets.appLog().getFileName() + "."))
                    .forEach(scanned::add);
        }
        assertThat(Files.size(SeenSecrets.historyDump()))
                .as("history rows were dumped")
                .isPositive();
        Path reports = SeenSecrets.appLog().resolveSibling("surefire-reports");
        try (Stream<Path> files = Files.list(reports)) {
            files.filter(f -> !f.getFileName().toString().contains("SecretLeakTest"))
                    .forEach(scanned::add);
        }

        List<String> leaks = new ArrayList<>();
        for (Path file : scanned) {
            leaks.addAll(leaksIn(file, secrets));
        }
        assertThat(leaks).as("secrets found in " + scanned.size() + " files").isEmpty();
    }

    /** Each secret or token found in the file, named by where, with the secret itself masked. */
    static List<String> leaksIn(Path file, Set<String> secrets) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        for (String secret : secrets) {
            int at = text.indexOf(secret);
            if (at >= 0) {
                found.add(file.getFileName() + " line " + lineOf(text, at) + ": a secret starting "
                        + secret.substring(0, Math.min(4, secret.length())) + "…");
            }
        }
        Matcher jwt = JWT.matcher(text);
        while (jwt.find()) {
            found.add(file.getFileName() + " line " + lineOf(text, jwt.start()) + ": a bearer token (JWT)");
        }
        return found;
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
