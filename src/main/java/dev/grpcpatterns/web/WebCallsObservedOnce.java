package dev.grpcpatterns.web;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * A web call is observed once, as the gRPC call it becomes (metrics per method and status, its span continuing the
 * caller's {@code traceparent}), exactly as a native call: Spring's {@code http.server.requests} observation of the
 * HTTP request that carries it is left out. It would count every web call under the uri {@code UNKNOWN} and open a
 * second server span beside the call's own, and it was 8% of a web call's CPU time (docs/web.md#cost).
 */
final class WebCallsObservedOnce implements ObservationPredicate {

    /** The name the web protocols' servlet is registered under. */
    static final String SERVLET = "webCalls";

    @Override
    public boolean test(String name, Observation.Context context) {
        return !(context instanceof ServerRequestObservationContext http
                && SERVLET.equals(http.getCarrier().getHttpServletMapping().getServletName()));
    }
}
