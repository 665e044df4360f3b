package dev.grpcpatterns.observability;

import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationContext;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * One measurement per call. The gRPC client's observations (the demo channel's) exist for their spans: net.devh's
 * metric interceptor already measures every call, with its message counts. Boot's meter handler would turn each
 * into meters of its own beside those (a {@code grpc.client} timer and a long task timer), and pay
 * for the tags and meter lookups on every call even if a filter then denied them. So whichever meter handler
 * Boot configures (tracing-aware or not, its long-task-timer setting) is kept for every other observation, HTTP's
 * included, and told that gRPC observations are not its business.
 *
 * <p>Not an {@code ObservationPredicate} or {@code management.observations.enable.*}: those drop the spans too.
 * Not a {@code MeterObservationHandler} bean of our own: Boot would back off its own, and we would have to copy how
 * it builds it.
 */
@Component
class GrpcObservationsUnmetered implements BeanPostProcessor {

    @Override
    @SuppressWarnings("unchecked")
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof MeterObservationHandler<?> handler
                ? new WithoutGrpc((MeterObservationHandler<Observation.Context>) handler) : bean;
    }

    /** Boot's handler, for every context but the gRPC client's. */
    private record WithoutGrpc(MeterObservationHandler<Observation.Context> handler)
            implements MeterObservationHandler<Observation.Context> {

        @Override
        public boolean supportsContext(Observation.Context context) {
            return !(context instanceof GrpcClientObservationContext)
                    && handler.supportsContext(context);
        }

        @Override
        public void onStart(Observation.Context context) {
            handler.onStart(context);
        }

        @Override
        public void onError(Observation.Context context) {
            handler.onError(context);
        }

        @Override
        public void onEvent(Observation.Event event, Observation.Context context) {
            handler.onEvent(event, context);
        }

        @Override
        public void onScopeOpened(Observation.Context context) {
            handler.onScopeOpened(context);
        }

        @Override
        public void onScopeClosed(Observation.Context context) {
            handler.onScopeClosed(context);
        }

        @Override
        public void onScopeReset(Observation.Context context) {
            handler.onScopeReset(context);
        }

        @Override
        public void onStop(Observation.Context context) {
            handler.onStop(context);
        }
    }
}
