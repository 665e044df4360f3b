package dev.grpcpatterns.observability;

import io.grpc.health.v1.HealthGrpc;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.stereotype.Component;

/**
 * No spans for {@code grpc.health.v1.Health}: probes and the demo channel's client-side health checking would
 * otherwise fill the trace store with one trace per probe and one never-ending Watch per connection. The metric
 * interceptor still counts them. This is the client side (the demo channel's observations); the server's spans
 * skip the service in {@link TracedServerCalls}.
 */
@Component
class HealthChecksUntraced implements ObservationPredicate {

    @Override
    public boolean test(String name, Observation.Context context) {
        return !(context instanceof GrpcClientObservationContext client
                && HealthGrpc.SERVICE_NAME.equals(client.getServiceName()));
    }
}
