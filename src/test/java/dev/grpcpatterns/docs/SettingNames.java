package dev.grpcpatterns.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * The setting names that exist: every key application.yml sets, and every property of the configuration metadata on
 * the classpath (Spring Boot's, net.devh's: {@code META-INF/spring-configuration-metadata.json} and
 * {@code additional-...}). Names compare as Spring binds them (case and dashes do not matter).
 */
final class SettingNames {

    private static final String PROFILE_KEY = "spring.config.activate.on-profile";

    /** One key as application.yml sets it in one document: {@code profile} null for a document every start reads. */
    record Setting(String key, String profile, List<String> values) {
        String where() {
            return "application.yml" + (profile == null ? "" : " (profile " + profile + ")");
        }
    }

    private final Set<ConfigurationPropertyName> applicationYml;
    private final Map<ConfigurationPropertyName, String> metadata;

    private SettingNames(Set<ConfigurationPropertyName> applicationYml, Map<ConfigurationPropertyName, String> metadata) {
        this.applicationYml = applicationYml;
        this.metadata = metadata;
    }

    static SettingNames load() {
        try {
            Set<ConfigurationPropertyName> keys = new TreeSet<>();
            settings().forEach(setting -> keys.add(name(setting.key())));
            return new SettingNames(keys, metadata());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code name} is a key of application.yml or a property (or map entry) of the metadata. */
    boolean exists(ConfigurationPropertyName name) {
        return applicationYml.contains(name) || inMetadata(name, metadata);
    }

    /** Every key of every document of application.yml; a list's {@code [0]}, {@code [1]} are one key. */
    static List<Setting> settings() throws IOException {
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

    static ConfigurationPropertyName name(String key) {
        return ConfigurationPropertyName.adapt(key, '.');
    }
}
