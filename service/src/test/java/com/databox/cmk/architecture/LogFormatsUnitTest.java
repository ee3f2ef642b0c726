package com.databox.cmk.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TimeZone;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JBoss Logging's {@code infof} and its kin format with the JVM's default locale, which Error Prone's
 * {@code DefaultLocale} does not see (docs/STATIC-ANALYSIS.md): a {@code %d} there wrote "Refused GET …: ٤٠٤" on an
 * instance in ar-EG (lc1), a line operators query for " 404 " (DEPLOY.md). Numbers go through {@code %s}, which
 * writes an {@code Integer} or a {@code Long} in ASCII digits whatever the locale.
 */
class LogFormatsUnitTest {
    private static final List<Path> SOURCES = List.of(Path.of("src/main/java"), Path.of("../lambda/src/main/java"));
    private static final Pattern FORMATTED_LOG_CALL = Pattern.compile("\\.(trace|debug|info|warn|error|fatal)[fv]\\(");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern LOCALIZED_CONVERSION = Pattern.compile("%[-#+ 0,(]*\\d*(\\.\\d+)?[dxXeEfgGaA]");

    @Test
    void noLogLineFormatsANumberInTheDefaultLocale() {
        List<String> offending = new ArrayList<>();
        int calls = 0;
        for (Path root : SOURCES) {
            assertThat(root).as("sources read from the module's directory").isDirectory();
            for (Path file : javaFiles(root)) {
                String source = read(file);
                Matcher call = FORMATTED_LOG_CALL.matcher(source);
                while (call.find()) {
                    calls++;
                    String arguments = argumentsOf(source, call.end());
                    Matcher literal = STRING_LITERAL.matcher(arguments);
                    while (literal.find()) {
                        if (formatsANumber(literal.group())) {
                            offending.add(file + ": " + literal.group());
                        }
                    }
                }
            }
        }
        assertThat(calls).as("formatted log calls found").isGreaterThan(20);
        assertThat(offending).as("use %s for numbers in log formats").isEmpty();
    }

    @Test
    void theScanSeesANumericConversion() {
        String source = "LOG.infof(\"Refused %s %s: %d %s\", method, path, status, code);";
        Matcher call = FORMATTED_LOG_CALL.matcher(source);
        assertThat(call.find()).isTrue();
        Matcher literal = STRING_LITERAL.matcher(argumentsOf(source, call.end()));
        assertThat(literal.find()).isTrue();
        assertThat(formatsANumber(literal.group())).isTrue();
        assertThat(formatsANumber("\"%s of %s, 100%% done\"")).isFalse();
        assertThat(formatsANumber("\"%,.2f MiB\"")).isTrue();
    }

    /** The answers, the events and the audit's records give times in UTC; so do the logs, whatever the host's zone. */
    @ParameterizedTest
    @ValueSource(strings = {"quarkus.log.console.format", "quarkus.log.file.format"})
    void logLinesAreStampedInUtcWhateverTheHostsTimeZone(String property) throws IOException {
        Properties configuration = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            configuration.load(in);
        }
        TimeZone before = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
            PatternFormatter formatter = new PatternFormatter(configuration.getProperty(property));
            ExtLogRecord record = new ExtLogRecord(Level.INFO, "stamped", LogFormatsUnitTest.class.getName());
            record.setInstant(Instant.parse("2026-12-07T23:30:00.123Z"));
            assertThat(formatter.format(record)).startsWith("2026-12-07 23:30:00,123 ");
        } finally {
            TimeZone.setDefault(before);
        }
    }

    /** A {@code %%} is a percent sign, not a conversion. */
    private static boolean formatsANumber(String literal) {
        return LOCALIZED_CONVERSION.matcher(literal.replace("%%", "")).find();
    }

    /** The call's arguments up to its closing parenthesis, string literals' parentheses aside. */
    private static String argumentsOf(String source, int start) {
        int depth = 1;
        boolean inString = false;
        int i = start;
        while (i < source.length() && depth > 0) {
            char c = source.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            i++;
        }
        return source.substring(start, i);
    }

    private static List<Path> javaFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
