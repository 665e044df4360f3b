package dev.grpcpatterns.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * docs/configuration.md's settings reference and application.yml agree: every key of application.yml, in every
 * document (profile), has a row with its default (a profile's value as {@code (`value` in `profile`)}), and every
 * key a row names exists in application.yml or in the configuration metadata on the classpath (Spring Boot's,
 * net.devh's: {@code META-INF/spring-configuration-metadata.json} and {@code additional-...}).
 *
 * <p>A row's Key cell may group siblings: {@code `grpc.server.enable-keep-alive`, `keep-alive-time`} names
 * {@code grpc.server.keep-alive-time} too (a name without a dot is a sibling of the last full key). The Default
 * cell then gives the values in the same order. A list's default names each element (a class by its simple name).
 * Logger levels ({@code logging.level.<logger>}) are keys like any other: each one application.yml sets has its row.
 * {@code spring.config.activate.on-profile} names a document's profile and is not checked as a setting.
 */
class ConfigurationReferenceTest {

    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern PROFILE_VALUE = Pattern.compile("`([^`]*)` in `([^`]+)`");

    /** One key as the reference names it, with the row's Default cell and the key's place among the row's keys. */
    record Documented(String key, int line, int position, String defaultCell) {
    }

    private static List<SettingNames.Setting> settings;
    private static Map<ConfigurationPropertyName, Documented> reference;

    @BeforeAll
    static void read() throws IOException {
        settings = SettingNames.settings();
        reference = reference();
    }

    @Test
    void everyKeyOfApplicationYmlIsInTheReferenceWithItsDefault() {
        List<String> problems = new ArrayList<>();
        for (SettingNames.Setting setting : settings) {
            Documented row = reference.get(SettingNames.name(setting.key()));
            if (row == null) {
                problems.add(setting.where() + ": " + setting.key() + " has no row in docs/configuration.md's "
                        + "settings reference");
            } else {
                String problem = defaultProblem(setting, row);
                if (problem != null) {
                    problems.add(setting.where() + ": " + setting.key() + " (docs/configuration.md:" + row.line()
                            + "): " + problem);
                }
            }
        }
        assertThat(problems).as("application.yml keys missing from docs/configuration.md").isEmpty();
    }

    @Test
    void everyKeyTheReferenceNamesExists() {
        SettingNames known = SettingNames.load();
        List<String> problems = new ArrayList<>();
        reference.forEach((name, row) -> {
            if (!known.exists(name)) {
                problems.add("docs/configuration.md:" + row.line() + ": " + row.key() + " is neither in "
                        + "application.yml nor in the configuration metadata on the classpath");
            }
        });
        assertThat(problems).as("keys in docs/configuration.md that do not exist").isEmpty();
    }

    private static String defaultProblem(SettingNames.Setting setting, Documented row) {
        String cell = row.defaultCell();
        String value = String.join(", ", setting.values());
        if (setting.profile() != null) {
            Matcher m = PROFILE_VALUE.matcher(cell);
            while (m.find()) {
                if (m.group(2).equals(setting.profile()) && m.group(1).equals(value)) {
                    return null;
                }
            }
            return "its Default cell lacks (`" + value + "` in `" + setting.profile() + "`): " + cell;
        }
        if (setting.values().size() > 1) {
            for (String element : setting.values()) {
                if (!cell.contains(simpleName(element))) {
                    return "its Default cell lacks the list element " + simpleName(element) + ": " + cell;
                }
            }
            return null;
        }
        // The document-wide defaults: the code spans outside any (`value` in `profile`), in the row's key order.
        List<String> defaults = new ArrayList<>();
        Matcher m = CODE.matcher(PROFILE_VALUE.matcher(cell).replaceAll(""));
        while (m.find()) {
            defaults.add(m.group(1));
        }
        if (row.position() < defaults.size() && defaults.get(row.position()).equals(value)) {
            return null;
        }
        return "its default is `" + value + "`, but the Default cell"
                + (row.position() == 0 ? "" : " (value " + (row.position() + 1) + " of the row)") + " says "
                + (row.position() < defaults.size() ? "`" + defaults.get(row.position()) + "`" : "nothing") + ": " + cell;
    }

    /** {@code org.example.FooAutoConfiguration} is named {@code FooAutoConfiguration} in a table. */
    private static String simpleName(String element) {
        return element.matches("([a-z0-9_]+\\.)+[A-Z]\\w*") ? element.substring(element.lastIndexOf('.') + 1) : element;
    }

    /** The keys of docs/configuration.md's settings reference, a grouped row's siblings spelled out. */
    private static Map<ConfigurationPropertyName, Documented> reference() {
        Map<ConfigurationPropertyName, Documented> reference = new LinkedHashMap<>();
        Markdown page = Markdown.read(DocLinksTest.ROOT.resolve("docs/configuration.md"));
        for (Markdown.Row row : page.tableUnder("Settings reference")) {
            String last = null;
            int position = 0;
            Matcher m = CODE.matcher(row.cells().get(0));
            while (m.find()) {
                String name = m.group(1);
                if (name.contains(".")) {
                    last = name;
                } else if (last == null) {
                    throw new AssertionError("docs/configuration.md:" + row.line() + ": `" + name
                            + "` comes before any full key in its row");
                } else {
                    name = last.substring(0, last.lastIndexOf('.') + 1) + name;
                }
                Documented previous = reference.put(SettingNames.name(name),
                        new Documented(name, row.line(), position++, row.cells().get(1)));
                if (previous != null) {
                    throw new AssertionError("docs/configuration.md:" + row.line() + ": " + name
                            + " has a row already at line " + previous.line());
                }
            }
        }
        return reference;
    }


}
