package dev.grpcpatterns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.support.ServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** Actuator answers over real HTTP on its own port. */
@ServiceTest
class ActuatorHealthTest {

    @Autowired
    private TestRestTemplate http;

    @Test
    void healthIsUp() {
        ResponseEntity<String> health = http.getForEntity("/actuator/health", String.class);
        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(health.getBody()).contains("\"status\":\"UP\"");
    }
}
