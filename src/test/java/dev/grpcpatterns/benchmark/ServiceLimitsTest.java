package dev.grpcpatterns.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.reliability.ReliabilityProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;

/** The baselines' and peers' settings ({@link ServiceLimits}) are the ones application.yml gives the service. */
class ServiceLimitsTest {

    @Test
    void matchApplicationYml() throws Exception {
        // The first document of application.yml: the settings without any profile.
        PropertySource<?> defaults = new YamlPropertySourceLoader()
                .load("application.yml", new ClassPathResource("application.yml")).get(0);
        Binder yml = new Binder(ConfigurationPropertySources.from(defaults));

        ReliabilityProperties reliability = yml.bind("reliability", ReliabilityProperties.class).get();
        assertThat(reliability.executor()).isEqualTo(ServiceLimits.EXECUTOR);
        assertThat(reliability.maxConcurrentCallsPerConnection())
                .isEqualTo(ServiceLimits.MAX_CONCURRENT_CALLS_PER_CONNECTION);
        assertThat(yml.bind("grpc.server.max-inbound-message-size", DataSize.class).get().toBytes())
                .isEqualTo(ServiceLimits.MAX_INBOUND_MESSAGE_SIZE);
        assertThat(yml.bind("grpc.server.max-inbound-metadata-size", DataSize.class).get().toBytes())
                .isEqualTo(ServiceLimits.MAX_INBOUND_METADATA_SIZE);
        assertThat(seconds(yml, "keep-alive-time")).isEqualTo(ServiceLimits.KEEP_ALIVE_TIME_SECONDS);
        assertThat(seconds(yml, "keep-alive-timeout")).isEqualTo(ServiceLimits.KEEP_ALIVE_TIMEOUT_SECONDS);
        assertThat(seconds(yml, "permit-keep-alive-time")).isEqualTo(ServiceLimits.PERMIT_KEEP_ALIVE_TIME_SECONDS);
        assertThat(yml.bind("grpc.server.permit-keep-alive-without-calls", Boolean.class).get()).isFalse();
        assertThat(seconds(yml, "max-connection-idle")).isEqualTo(ServiceLimits.MAX_CONNECTION_IDLE_SECONDS);
        assertThat(seconds(yml, "max-connection-age")).isEqualTo(ServiceLimits.MAX_CONNECTION_AGE_SECONDS);
        assertThat(seconds(yml, "max-connection-age-grace"))
                .isEqualTo(ServiceLimits.MAX_CONNECTION_AGE_GRACE_SECONDS);
    }

    private static long seconds(Binder yml, String key) {
        return yml.bind("grpc.server." + key, Duration.class).get().toSeconds();
    }
}
