package dev.grpcpatterns.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole application on free ports: gRPC on a real Netty port, actuator on real HTTP. The {@code demo}
 * channel reaches that port over the network ({@link OwnGrpcPort}), so {@code @GrpcClient("demo")} fields in
 * a test call the service as any client would. Test classes share one context through this annotation.
 * Metrics are exported as in production (Spring's tests switch that off by default); tracing is not used.
 * Every Chat message is logged (tests send hundreds in a second; {@code ChatMessageLogTest} tests the bound).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "demo.enabled=false",
        "demo.chat-pause=0s",
        "demo.deadline=10s",
        "chat.server-stream.interval=100ms",
        "chat.message-log.max-per-second=100000"
})
@ContextConfiguration(initializers = OwnGrpcPort.class)
public @interface ServiceTest {
}
