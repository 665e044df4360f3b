package dev.grpcpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grpcpatterns.support.AppProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The {@code prod} profile's exposure, over real HTTP and gRPC: health (status only) and prometheus, no reflection. */
// Spring's tests leave metrics exporters (prometheus) out unless asked to; the jar has them.
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("prod")
class ProdExposureTest {

    private static final int GRPC_PORT = AppProcess.freePort();

    @DynamicPropertySource
    static void grpcPort(DynamicPropertyRegistry registry) {
        registry.add("grpc.server.port", () -> GRPC_PORT);
    }

    @LocalServerPort
    int httpPort;

    ExposureProbe probe;

    @BeforeEach
    void probe() {
        probe = new ExposureProbe(httpPort, GRPC_PORT);
    }

    @Test
    void onlyHealthAndPrometheusAreExposed() {
        assertThat(probe.exposedEndpoints()).containsExactly("health", "prometheus");
        assertThat(probe.get("/actuator/prometheus").statusCode()).isEqualTo(200);
        for (String hidden : new String[] {"/actuator/info", "/actuator/metrics", "/actuator/env", "/actuator/beans"}) {
            assertThat(probe.get(hidden).statusCode()).as(hidden).isEqualTo(404);
        }
    }

    @Test
    void healthShowsOnlyItsStatus() {
        JsonNode health = probe.getJson("/actuator/health");
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.has("components")).as(health.toString()).isFalse();
        assertThat(health.has("details")).as(health.toString()).isFalse();
    }

    @Test
    void reflectionIsOff() {
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, probe::reflectedServices);
        assertThat(refused).as("reflection must not answer").isNotNull();
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    }
}
