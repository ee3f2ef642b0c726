package com.databox.cmk.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No source file imports a class of its own package (the formatter keeps imports sorted, not this). */
class NoSelfImportUnitTest {
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");

    @Test
    void noFileImportsItsOwnPackage() throws IOException {
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src"))) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(NoSelfImportUnitTest::importsOwnPackage)
                    .toList();
        }
        assertThat(offenders).isEmpty();
    }

    private static boolean importsOwnPackage(Path file) {
        try {
            String source = Files.readString(file);
            Matcher pkg = PACKAGE.matcher(source);
            return pkg.find()
                    && Pattern.compile("(?m)^import " + Pattern.quote(pkg.group(1)) + "\\.[A-Z]\\w*;")
                            .matcher(source)
                            .find();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
