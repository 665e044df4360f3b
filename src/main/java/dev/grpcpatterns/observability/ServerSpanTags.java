package dev.grpcpatterns.observability;

import io.grpc.Status;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.binder.grpc.GrpcObservationDocumentation.GrpcServerEvents;
import io.micrometer.core.instrument.binder.grpc.GrpcServerObservationContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * What micrometer's server interceptor leaves off a server span: the number of messages the call received and
 * sent ({@value #RECEIVED}, {@value #SENT}; it reports each message as an event, not a count), and the status of a
 * call the client cancelled or whose deadline passed (it learns statuses only from {@code close}, which such a call
 * never reaches, and would say UNKNOWN; CANCELLED is what the metric interceptor counts too). The tags are added in
 * {@code onStop}, which the observation calls on its handlers in reverse order of registration: this handler,
 * registered after Boot's tracing group, runs before the span is finished and reported.
 */
@Component
class ServerSpanTags implements ObservationHandler<GrpcServerObservationContext> {

    static final String RECEIVED = "grpc.messages.received";
    static final String SENT = "grpc.messages.sent";

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof GrpcServerObservationContext;
    }

    @Override
    public void onStart(GrpcServerObservationContext context) {
        context.put(Counts.class, new Counts());
    }

    @Override
    public void onEvent(Observation.Event event, GrpcServerObservationContext context) {
        Counts counts = context.get(Counts.class);
        if (counts == null) {
            return;
        }
        // Events are compared by name: the observation may hand them on as copies of micrometer's constants.
        if (GrpcServerEvents.MESSAGE_RECEIVED.getName().equals(event.getName())) {
            counts.received.incrementAndGet();
        } else if (GrpcServerEvents.MESSAGE_SENT.getName().equals(event.getName())) {
            counts.sent.incrementAndGet();
        } else if (GrpcServerEvents.CANCELLED.getName().equals(event.getName()) && context.getStatusCode() == null) {
            context.setStatusCode(Status.Code.CANCELLED);
        }
    }

    @Override
    public void onStop(GrpcServerObservationContext context) {
        Counts counts = context.get(Counts.class);
        if (counts != null) {
            context.addHighCardinalityKeyValue(KeyValue.of(RECEIVED, Long.toString(counts.received.get())));
            context.addHighCardinalityKeyValue(KeyValue.of(SENT, Long.toString(counts.sent.get())));
        }
    }

    /** A call's service sends from its own threads while grpc-java delivers requests on others. */
    private static final class Counts {
        final AtomicLong received = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
    }
}
