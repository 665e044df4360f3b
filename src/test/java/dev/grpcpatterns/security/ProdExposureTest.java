package dev.grpcpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * The {@code prod} profile's exposure, over real HTTP and gRPC: health (status only) and prometheus, no reflection.
 * Open on purpose (no identity provider here), which is what a stranger would find if someone chose that.
 */
@ExposureTest
@ActiveProfiles("prod")
@TestPropertySource(properties = "identity.open-on-purpose=true")
class ProdExposureTest {

    @Autowired
    ExposureProbe probe;

    @Autowired
    ApplicationContext context;

    @Test
    void onlyHealthAndPrometheusAreExposed() {
        assertThat(probe.exposedEndpoints()).containsExactly("health", "prometheus");
        assertThat(probe.get("/actuator/prometheus").statusCode()).isEqualTo(200);
        for (String hidden : new String[] {"/actuator/info", "/actuator/metrics", "/actuator/env", "/actuator/beans"}) {
            assertThat(probe.get(hidden).statusCode()).as(hidden).isEqualTo(404);
        }
    }

    @Test
    void withoutAnIdentityNothingOfSpringSecurityIsBuilt() {
        // No identity and no sensitive endpoint: the HTTP port serves as above without a filter chain, and the
        // gRPC port without net.devh's security interceptors (SpringSecurityWhenNeeded).
        assertThat(context.getBeanDefinitionNames()).allSatisfy(name -> assertThat(
                context.getType(name) == null ? "" : context.getType(name).getName()).as(name)
                .doesNotStartWith("org.springframework.security.")
                .doesNotStartWith("net.devh.boot.grpc.server.security."));
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
        StatusException refused = catchThrowableOfType(StatusException.class, probe::reflectedServices);
        assertThat(refused).as("reflection must not answer").isNotNull();
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    void chatMessagesAreNotLogged() {
        assertThat(LoggerFactory.getLogger("dev.grpcpatterns.chat.messages").isErrorEnabled()).isFalse();
    }

    @Test
    void standardReflectionV1IsOff() {
        StatusException refused = catchThrowableOfType(StatusException.class, probe::reflectedServicesV1);
        assertThat(refused).as("reflection v1 must not answer").isNotNull();
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    void thePageIsOff() {
        for (String path : new String[] {"/", "/page/index.html", "/page/app.js", "/page/demo.json",
                "/page/descriptors.binpb"}) {
            assertThat(probe.get(path).statusCode()).as(path).isEqualTo(404);
        }
    }
}
