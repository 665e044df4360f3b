package dev.grpcpatterns.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * The endpoint is the one setting: set, spans are exported; unset (or blank), not; an explicit
 * {@code export.enabled} wins either way. (With the jar: the observability suite reports to Zipkin with the endpoint
 * alone, and {@code TracingTest}'s context, without one, has no sender.)
 */
class ZipkinExportWithEndpointTest {

    private static final String ZIPKIN = "http://127.0.0.1:9411/api/v2/spans";

    @Test
    void isAnEnvironmentPostProcessorOfTheApplication() {
        assertThat(SpringFactoriesLoader.loadFactoryNames(EnvironmentPostProcessor.class, getClass().getClassLoader()))
                .contains(ZipkinExportWithEndpoint.class.getName());
    }

    @Test
    void noEndpointNoExport() {
        assertThat(export(Map.of())).isFalse();
        assertThat(export(Map.of(ZipkinExportWithEndpoint.ENDPOINT, " "))).isFalse();
    }

    @Test
    void anEndpointExports() {
        assertThat(export(Map.of(ZipkinExportWithEndpoint.ENDPOINT, ZIPKIN))).isTrue();
    }

    @Test
    void anExplicitSwitchWins() {
        assertThat(export(Map.of(ZipkinExportWithEndpoint.ENDPOINT, ZIPKIN, ZipkinExportWithEndpoint.EXPORT, "false")))
                .isFalse();
        assertThat(export(Map.of(ZipkinExportWithEndpoint.EXPORT, "true"))).isTrue();
    }

    private static Boolean export(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("settings", settings));
        new ZipkinExportWithEndpoint().postProcessEnvironment(environment, new SpringApplication());
        return environment.getProperty(ZipkinExportWithEndpoint.EXPORT, Boolean.class);
    }
}
