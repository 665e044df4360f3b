package dev.grpcpatterns.support;

import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives a test context its own free gRPC port and points the {@code demo} channel at it by number.
 * {@code self:self} can't be used here: net.devh registers its {@code self} resolver JVM-wide, so with several
 * cached test contexts it may lead to another context's server.
 */
public class OwnGrpcPort implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        int port = AppProcess.freePort();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("ownGrpcPort", Map.of(
                "grpc.server.port", port,
                "grpc.client.demo.address", "static://localhost:" + port)));
    }
}
