package dev.grpcpatterns.observability;

import brave.Tracing;
import brave.propagation.Propagation;
import brave.sampler.Sampler;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.observation.ObservationRegistry;
import net.devh.boot.grpc.client.interceptor.GrpcGlobalClientInterceptor;
import net.devh.boot.grpc.common.util.InterceptorOrder;
import net.devh.boot.grpc.server.interceptor.GrpcGlobalServerInterceptor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * A span per gRPC call on both sides, registered here rather than by net.devh
 * ({@code management.tracing.grpc.enabled} stays false). The server's is {@link TracedServerCalls} (a Brave span per
 * sampled call, no Observation in between), the client's micrometer's Observation interceptor. Registered here for
 * two reasons.
 * <ul>
 *   <li>Order. net.devh puts the server interceptor at 2501, inside its metric interceptor (2500), whose listener
 *   records the call's duration before the span is in scope: no exemplar could ever name the trace. One step
 *   outside (2499) the duration is recorded inside the span's scope, and the span still sees every status,
 *   including the UNAVAILABLE of the shutdown drain ({@code OpenCalls}, 3000, sits inside both).</li>
 *   <li>The client convention. net.devh gives the client interceptor micrometer's default convention, which fails
 *   every call of a multi-address channel ({@link AddressListClientConvention}).</li>
 * </ul>
 * The server's sampling decision comes first ({@link CallSampling}).
 * Off with {@code management.tracing.enabled=false}: without a tracer the observations would have no one to serve.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "management.tracing.enabled", matchIfMissing = true)
class GrpcTracingInterceptors {

    static final int SERVER_ORDER = InterceptorOrder.ORDER_TRACING_METRICS - 1;

    @Bean
    CallSampling callSampling(Propagation.Factory propagation, Sampler sampler) {
        return new CallSampling(propagation, sampler);
    }

    @Bean
    @GrpcGlobalServerInterceptor
    @Order(SERVER_ORDER)
    TracedServerCalls tracedServerCalls(Tracing tracing, CallSampling sampling) {
        return new TracedServerCalls(tracing, sampling);
    }

    @Bean
    @GrpcGlobalClientInterceptor
    @Order(InterceptorOrder.ORDER_TRACING_METRICS - 1)
    ObservationGrpcClientInterceptor observationGrpcClientInterceptor(ObservationRegistry registry) {
        ObservationGrpcClientInterceptor interceptor = new ObservationGrpcClientInterceptor(registry);
        interceptor.setCustomConvention(new AddressListClientConvention());
        return interceptor;
    }
}
