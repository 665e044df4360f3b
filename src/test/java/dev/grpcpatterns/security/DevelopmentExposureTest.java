package dev.grpcpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.support.AppProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The default (development) exposure, over real HTTP and gRPC: the README's four actuator endpoints, health with
 * details, and gRPC reflection. It is also what makes {@link ProdExposureTest}'s "not there" meaningful.
 */
// Spring's tests leave metrics exporters (prometheus) out unless asked to; the jar has them.
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "demo.enabled=false")
class DevelopmentExposureTest {

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
    void onlyTheReadmesActuatorEndpointsAreExposed() {
        assertThat(probe.exposedEndpoints()).containsExactly("health", "info", "metrics", "prometheus");
        assertThat(probe.get("/actuator/env").statusCode()).isEqualTo(404);
        assertThat(probe.get("/actuator/beans").statusCode()).isEqualTo(404);
    }

    @Test
    void healthShowsItsDetails() {
        assertThat(probe.getJson("/actuator/health").has("components")).isTrue();
    }

    @Test
    void reflectionListsTheServices() throws InterruptedException {
        assertThat(probe.reflectedServices()).contains("grpcpatterns.v1.Greeter", "grpcpatterns.v1.ChatService");
    }
}
