package dev.grpcpatterns.operations;

import io.grpc.ServerInterceptor;
import java.util.List;
import net.devh.boot.grpc.server.interceptor.GlobalServerInterceptorRegistry;
import net.devh.boot.grpc.server.scope.GrpcRequestScope;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * net.devh's global server interceptors (it replaces net.devh's registry), without net.devh's gRPC request scope.
 *
 * <p>That scope is installed on every call, first of all: per call it builds a bean container and a new gRPC
 * {@code Context} with a cancellation listener, then attaches and detaches that context around every callback,
 * every message of a stream included. It serves only beans declared {@code @Scope("grpcRequest")}; this service
 * has none, so it was cost without use (docs/performance.md). A service that adds such a bean must drop this class.
 */
@Component
class InterceptorsWithoutRequestScope extends GlobalServerInterceptorRegistry {

    InterceptorsWithoutRequestScope(ApplicationContext applicationContext) {
        super(applicationContext);
    }

    @Override
    protected List<ServerInterceptor> initServerInterceptors() {
        List<ServerInterceptor> interceptors = super.initServerInterceptors();
        interceptors.removeIf(GrpcRequestScope.class::isInstance);
        return interceptors;
    }
}
