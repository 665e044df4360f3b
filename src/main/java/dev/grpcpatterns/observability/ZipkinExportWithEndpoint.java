package dev.grpcpatterns.observability;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Spans go to Zipkin as soon as {@value #ENDPOINT} is set, and nowhere without it: one setting, not Boot's two
 * (it exports by default, to {@code localhost:9411}, and a service without a Zipkin there would log a failed send
 * every second). {@value #EXPORT} set explicitly still wins: this is the lowest-precedence source.
 */
class ZipkinExportWithEndpoint implements EnvironmentPostProcessor {

    static final String ENDPOINT = "management.zipkin.tracing.endpoint";
    static final String EXPORT = "management.zipkin.tracing.export.enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean endpoint = StringUtils.hasText(environment.getProperty(ENDPOINT));
        environment.getPropertySources().addLast(new MapPropertySource("zipkinExportWithEndpoint",
                Map.of(EXPORT, endpoint)));
    }
}
