package dev.grpcpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Every actuator endpoint exposed with one setting, and no identity provider: the sensitive ones are listed but
 * answer a stranger 403, reads and writes alike; the four the profiles expose on purpose answer as before.
 */
@ExposureTest
@TestPropertySource(properties = "management.endpoints.web.exposure.include=*")
class SensitiveEndpointsTest {

    @Autowired
    ExposureProbe probe;

    @Test
    void sensitiveEndpointsAreRefusedToAStranger() {
        // heapdump too, where its access is switched on as well (Boot 3.5 has it off even when exposed).
        assertThat(probe.exposedEndpoints()).contains("env", "loggers", "threaddump", "configprops", "beans");
        for (String sensitive : new String[] {"/actuator/env", "/actuator/env/PATH", "/actuator/loggers",
                "/actuator/threaddump", "/actuator/configprops", "/actuator/beans", "/actuator/mappings",
                "/actuator/conditions", "/actuator/scheduledtasks", "/actuator/caches", "/actuator/sbom"}) {
            assertThat(probe.get(sensitive).statusCode()).as(sensitive).isEqualTo(403);
        }
        assertThat(probe.post("/actuator/loggers/ROOT", "{\"configuredLevel\":\"TRACE\"}").statusCode())
                .as("changing a log level").isEqualTo(403);
    }

    @Test
    void theEndpointsExposedOnPurposeStayOpen() {
        for (String open : new String[] {"/actuator", "/actuator/health", "/actuator/health/readiness",
                "/actuator/info", "/actuator/metrics", "/actuator/prometheus"}) {
            assertThat(probe.get(open).statusCode()).as(open).isEqualTo(200);
        }
    }
}
