package dev.grpcpatterns.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

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

    private static final String PROFILE_KEY = "spring.config.activate.on-profile";
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern PROFILE_VALUE = Pattern.compile("`([^`]*)` in `([^`]+)`");

    /** One key as application.yml sets it in one document: {@code profile} null for a document every start reads. */
    record Setting(String key, String profile, List<String> values) {
        String where() {
            return "application.yml" + (profile == null ? "" : " (profile " + profile + ")");
        }
    }

    /** One key as the reference names it, with the row's Default cell and the key's place among the row's keys. */
    record Documented(String key, int line, int position, String defaultCell) {
    }

    private static List<Setting> settings;
    private static Map<ConfigurationPropertyName, Documented> reference;

    @BeforeAll
    static void read() throws IOException {
        settings = settings();
        reference = reference();
    }

    @Test
    void everyKeyOfApplicationYmlIsInTheReferenceWithItsDefault() {
        List<String> problems = new ArrayList<>();
        for (Setting setting : settings) {
            Documented row = reference.get(name(setting.key()));
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
    void everyKeyTheReferenceNamesExists() throws IOException {
        Set<ConfigurationPropertyName> known = new TreeSet<>();
        settings.forEach(s -> known.add(name(s.key())));
        Map<ConfigurationPropertyName, String> metadata = metadata();
        List<String> problems = new ArrayList<>();
        reference.forEach((name, row) -> {
            if (!known.contains(name) && !inMetadata(name, metadata)) {
                problems.add("docs/configuration.md:" + row.line() + ": " + row.key() + " is neither in "
                        + "application.yml nor in the configuration metadata on the classpath");
            }
        });
        assertThat(problems).as("keys in docs/configuration.md that do not exist").isEmpty();
    }

    private static String defaultProblem(Setting setting, Documented row) {
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

    /** Every key of every document of application.yml; a list's {@code [0]}, {@code [1]} are one key. */
    private static List<Setting> settings() throws IOException {
        List<Setting> settings = new ArrayList<>();
        List<PropertySource<?>> documents = new YamlPropertySourceLoader()
                .load("application.yml", new FileSystemResource(DocLinksTest.ROOT.resolve("application.yml")));
        for (PropertySource<?> document : documents) {
            EnumerablePropertySource<?> source = (EnumerablePropertySource<?>) document;
            Object profile = source.getProperty(PROFILE_KEY);
            Map<String, List<String>> keys = new LinkedHashMap<>();
            for (String property : source.getPropertyNames()) {
                if (!property.equals(PROFILE_KEY)) {
                    keys.computeIfAbsent(property.replaceAll("\\[\\d+]$", ""), k -> new ArrayList<>())
                            .add(String.valueOf(source.getProperty(property)));
                }
            }
            keys.forEach((key, values) -> settings.add(
                    new Setting(key, profile == null ? null : profile.toString(), values)));
        }
        return settings;
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
                Documented previous = reference.put(name(name),
                        new Documented(name, row.line(), position++, row.cells().get(1)));
                if (previous != null) {
                    throw new AssertionError("docs/configuration.md:" + row.line() + ": " + name
                            + " has a row already at line " + previous.line());
                }
            }
        }
        return reference;
    }

    /** Every property of the configuration metadata on the classpath, with its type. */
    private static Map<ConfigurationPropertyName, String> metadata() throws IOException {
        Map<ConfigurationPropertyName, String> properties = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        ClassLoader loader = ConfigurationReferenceTest.class.getClassLoader();
        for (String file : List.of("META-INF/spring-configuration-metadata.json",
                "META-INF/additional-spring-configuration-metadata.json")) {
            for (URL url : Collections.list(loader.getResources(file))) {
                try (InputStream in = url.openStream()) {
                    for (JsonNode property : json.readTree(in).path("properties")) {
                        properties.put(name(property.path("name").asText()), property.path("type").asText(""));
                    }
                }
            }
        }
        assertThat(properties).as("configuration metadata on the classpath").isNotEmpty();
        return properties;
    }

    /**
     * A key is in the metadata when it is a property there, or an entry of a map property: any entry of a map
     * of plain values ({@code logging.level.<logger>}); for a map of objects whose metadata shows an example entry
     * ({@code grpc.client.GLOBAL.address}), an entry with a property of the same name ({@code grpc.client.demo.address}).
     */
    private static boolean inMetadata(ConfigurationPropertyName name, Map<ConfigurationPropertyName, String> metadata) {
        if (metadata.containsKey(name)) {
            return true;
        }
        for (Map.Entry<ConfigurationPropertyName, String> property : metadata.entrySet()) {
            ConfigurationPropertyName map = property.getKey();
            if (!property.getValue().startsWith("java.util.Map<") || !map.isAncestorOf(name)) {
                continue;
            }
            int entry = map.getNumberOfElements();   // the element of `name` that is the map's key
            List<ConfigurationPropertyName> examples = metadata.keySet().stream()
                    .filter(other -> map.isAncestorOf(other) && other.getNumberOfElements() > entry + 1)
                    .toList();
            if (examples.isEmpty()) {
                return true;
            }
            String rest = tail(name, entry + 1);
            if (examples.stream().anyMatch(example -> tail(example, entry + 1).equals(rest))) {
                return true;
            }
        }
        return false;
    }

    private static String tail(ConfigurationPropertyName name, int from) {
        StringBuilder tail = new StringBuilder();
        for (int i = from; i < name.getNumberOfElements(); i++) {
            tail.append('.').append(name.getElement(i, ConfigurationPropertyName.Form.UNIFORM));
        }
        return tail.toString();
    }

    private static ConfigurationPropertyName name(String key) {
        return ConfigurationPropertyName.adapt(key, '.');
    }
}
