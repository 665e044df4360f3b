package dev.grpcpatterns.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.support.ServiceTest;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import net.devh.boot.grpc.server.interceptor.GlobalServerInterceptorRegistry;
import net.devh.boot.grpc.server.scope.GrpcRequestScope;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The server's global interceptors, as net.devh builds the server from them: no request scope, the rest kept. */
@ServiceTest
class InterceptorsWithoutRequestScopeTest {

    @Autowired
    private GlobalServerInterceptorRegistry registry;

    @Test
    void requestScopeIsGoneAndTheOthersStay() {
        assertThat(registry).isInstanceOf(InterceptorsWithoutRequestScope.class);
        assertThat(registry.getServerInterceptors())
                .noneMatch(GrpcRequestScope.class::isInstance)
                .anyMatch(MetricCollectingServerInterceptor.class::isInstance)
                .anyMatch(OpenCalls.class::isInstance);
    }
}
