package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every property of {@link CmkConfig} is in CONFIGURATION.md, and a row that names one property alone states
 * the default the code has (audit rv7: nothing held the two equal).
 */
class ConfigurationDocUnitTest {
    /** name to default (null: none). */
    private static void properties(Class<?> type, String prefix, Map<String, String> into) {
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || m.isDefault() || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = prefix + "."
                    + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            Class<?> returned = m.getReturnType();
            if (returned.isInterface() && returned.getName().startsWith("com.databox")) {
                properties(returned, name, into);
            } else {
                WithDefault d = m.getAnnotation(WithDefault.class);
                into.put(name, d == null ? null : d.value());
            }
        }
    }

    private static Map<String, String> properties() {
        Map<String, String> all = new TreeMap<>();
        properties(CmkConfig.class, "cmk", all);
        return all;
    }

    private static String doc() throws IOException {
        return Files.readString(Path.of("../docs/CONFIGURATION.md"));
    }

    @Test
    void everyPropertyIsDocumented() throws IOException {
        String doc = doc();
        List<String> missing = new ArrayList<>();
        for (String name : properties().keySet()) {
            String parent = name.substring(0, name.lastIndexOf('.'));
            String leaf = name.substring(name.lastIndexOf('.'));
            // In the first cell of a table's row, by its whole name or as a leaf of a row of its parent's: a name
            // that appears only in prose (a note, another property's row) documents no setting (review rv8 L5).
            boolean named = doc.lines()
                    .filter(l -> l.startsWith("| "))
                    .map(l -> l.split("\\|")[1])
                    .anyMatch(first -> first.contains("`" + name + "`")
                            || first.contains("`" + parent + ".") && first.contains("`" + leaf + "`"));
            if (!named) {
                missing.add(name);
            }
        }
        assertThat(missing)
                .as("CmkConfig properties CONFIGURATION.md does not name")
                .isEmpty();
    }

    @Test
    void aRowOfOnePropertyStatesItsDefault() throws IOException {
        List<String> differ = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (String line : doc().lines().filter(l -> l.startsWith("| `")).toList()) {
            String[] cells = line.split("\\|");
            if (cells.length < 3) {
                continue;
            }
            String first = cells[1];
            properties().forEach((name, value) -> {
                if (value != null
                        && (first.trim().startsWith("`" + name + "`") || first.contains("(`" + name + "`)"))
                        && !first.contains(",")) {
                    String documented = cells[2].trim();
                    if (!documented.startsWith("`" + value + "`")) {
                        differ.add(name + ": code " + value + ", doc " + documented);
                    }
                    checked.add(name);
                }
            });
        }
        assertThat(checked).as("rows checked").hasSizeGreaterThan(30);
        assertThat(differ)
                .as("defaults CONFIGURATION.md states otherwise than CmkConfig")
                .isEmpty();
    }
}
