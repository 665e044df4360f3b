package dev.grpcpatterns.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * One measurement per call. The gRPC observations exist for their spans; Boot's meter handler would also turn
 * each into a timer ({@code grpc.server}, {@code grpc.client}) and a long task timer ({@code *.active}) beside
 * net.devh's metric interceptor, which already measures every call, with message counts. Denied here, by exact
 * name, rather than one level up: an {@code ObservationPredicate} (or {@code management.observations.enable.*})
 * would drop the spans too, and a {@code MeterObservationHandler} bean of our own would replace Boot's for every
 * observation, HTTP's included.
 */
@Component
class ObservationTimersFilter implements MeterFilter {

    static final Set<String> DENIED = Set.of("grpc.server", "grpc.server.active", "grpc.client", "grpc.client.active");

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return DENIED.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }
}
