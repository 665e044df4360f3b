package dev.grpcpatterns.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.grpc.GrpcObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import org.springframework.stereotype.Component;

/**
 * One measurement per call. The gRPC observations exist for their spans; Boot's meter handler would also turn
 * each into meters of its own beside net.devh's metric interceptor, which already measures every call with its
 * message counts: a timer ({@code grpc.server}, {@code grpc.client}), a long task timer ({@code *.active}) and a
 * counter per event ({@code *.sent}, {@code *.received}, {@code *.cancelled}). They are told apart by the
 * observation convention's tag {@code rpc.method} (the interceptor tags {@code method}) and denied.
 *
 * <p>Denied here rather than one level up: an {@code ObservationPredicate} (or {@code management.observations.enable.*})
 * would drop the spans too, and a {@code MeterObservationHandler} bean of our own would replace Boot's for every
 * observation, HTTP's included.
 */
@Component
class GrpcObservationMetersFilter implements MeterFilter {

    private static final String OBSERVATION_TAG = LowCardinalityKeyNames.METHOD.asString();

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return id.getName().startsWith("grpc.") && id.getTag(OBSERVATION_TAG) != null
                ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }
}
