package dev.grpcpatterns.demo;

import dev.grpcpatterns.proto.v1.GreeterGrpc;
import io.grpc.ManagedChannelBuilder;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelConfigurer;
import org.springframework.stereotype.Component;

/**
 * The demo channel's gRPC service config, which net.devh's properties cannot express: retry {@code UNAVAILABLE}
 * on the idempotent SayHello only (streams are never replayed), and client-side health checking, so that the
 * {@code round_robin} policy stops picking a replica as soon as its {@code grpc.health.v1} status leaves SERVING
 * (a replica that answers UNIMPLEMENTED is treated as healthy; {@code demo.health-check.enabled=false} leaves it out,
 * behind a proxy). The load-balancing policy itself stays net.devh's
 * {@code grpc.client.demo.default-load-balancing-policy}.
 */
@Component
class DemoServiceConfig implements GrpcChannelConfigurer {

    static final String CHANNEL = "demo";

    private final Map<String, Object> serviceConfig;

    DemoServiceConfig(DemoProperties demo) {
        this.serviceConfig = serviceConfig(demo.retry(), demo.healthCheck().enabled());
    }

    @Override
    public void accept(ManagedChannelBuilder<?> builder, String name) {
        if (CHANNEL.equals(name)) {
            builder.defaultServiceConfig(serviceConfig).enableRetry();
        }
    }

    /** The service config as grpc-java's JSON model: maps, lists, strings and doubles. */
    private static Map<String, Object> serviceConfig(DemoProperties.Retry retry, boolean healthCheck) {
        Map<String, Object> sayHello = Map.of(
                "name", List.of(Map.of(
                        "service", GreeterGrpc.SERVICE_NAME,
                        "method", GreeterGrpc.getSayHelloMethod().getBareMethodName())),
                "retryPolicy", Map.of(
                        "maxAttempts", (double) retry.maxAttempts(),
                        "initialBackoff", seconds(retry.initialBackoff()),
                        "maxBackoff", seconds(retry.maxBackoff()),
                        "backoffMultiplier", retry.backoffMultiplier(),
                        "retryableStatusCodes", List.of("UNAVAILABLE")));
        return healthCheck
                ? Map.of("methodConfig", List.of(sayHello), "healthCheckConfig", Map.of("serviceName", ""))
                : Map.of("methodConfig", List.of(sayHello));
    }

    /** A duration in the service config's "1.500000000s" form. */
    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toNanos(), 9).toPlainString() + "s";
    }
}
