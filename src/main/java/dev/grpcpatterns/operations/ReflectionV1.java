package dev.grpcpatterns.operations;

import io.grpc.BindableService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import net.devh.boot.grpc.server.service.GrpcService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The standard server reflection, {@code grpc.reflection.v1} (grpc-java's own service), beside the
 * {@code grpc.reflection.v1alpha} that net.devh serves: tools that ask v1 first (grpcurl, buf curl, Postman) need no
 * fallback. On exactly when net.devh's is, by its own key (off in the prod profile).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "grpc.server", name = "reflection-service-enabled", matchIfMissing = true)
class ReflectionV1 {

    @Bean
    @GrpcService
    BindableService protoReflectionServiceV1() {
        return ProtoReflectionServiceV1.newInstance();
    }
}
