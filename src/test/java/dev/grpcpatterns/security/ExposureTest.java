package dev.grpcpatterns.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The whole application on free ports, as a stranger would probe it through {@link ExposureProbe}. Spring's tests
 * leave metrics exporters (prometheus) out unless asked to; the jar has them, so these tests ask.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"grpc.server.port=0", "demo.enabled=false"})
@AutoConfigureObservability(tracing = false)
@Import(ExposureProbe.class)
@interface ExposureTest {
}
