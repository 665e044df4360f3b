package dev.grpcpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The default (development) exposure, over real HTTP and gRPC: the README's four actuator endpoints, health with
 * details, and gRPC reflection. It is also what makes {@link ProdExposureTest}'s "not there" meaningful.
 */
@ExposureTest
class DevelopmentExposureTest {

    @Autowired
    ExposureProbe probe;

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
    void reflectionListsTheServices() throws InterruptedException, StatusException {
        assertThat(probe.reflectedServices()).contains("grpcpatterns.v1.Greeter", "grpcpatterns.v1.ChatService");
    }

    @Test
    void standardReflectionV1ListsTheServicesAndBothReflections() throws InterruptedException, StatusException {
        assertThat(probe.reflectedServicesV1()).contains("grpcpatterns.v1.Greeter", "grpcpatterns.v1.ChatService",
                "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");
    }
}
