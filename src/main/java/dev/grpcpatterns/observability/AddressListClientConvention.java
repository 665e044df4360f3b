package dev.grpcpatterns.observability;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.binder.grpc.DefaultGrpcClientObservationConvention;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationContext;
import io.micrometer.core.instrument.binder.grpc.GrpcObservationDocumentation.LowCardinalityKeyNames;

/**
 * Micrometer's client convention, made safe for channels whose authority is no host: net.devh's
 * {@code static://a:1,b:2} (authority {@code a:1,b:2}), or a resolver that reports an empty authority.
 *
 * <p>The root cause of "every demo call fails with tracing on": {@code ObservationGrpcClientInterceptor} parses the
 * channel's authority with {@code new URI(null, authority, null, null, null)} and keeps {@code getHost()} as the
 * peer name, which is null for such an authority (the parse error is swallowed). The default convention then calls
 * {@code PEER_NAME.withValue(null)}, which throws a NullPointerException from the observation's start; the
 * interceptor turns it into the call's failure (micrometer issue #7380; the server convention already guards this
 * case). Here the peer name is the authority itself, so a span still says which replicas the call could go to.
 */
class AddressListClientConvention extends DefaultGrpcClientObservationConvention {

    @Override
    public KeyValues getLowCardinalityKeyValues(GrpcClientObservationContext context) {
        if (context.getPeerName() == null) {
            String authority = context.getAuthority();
            context.setPeerName(authority == null || authority.isEmpty() ? KeyValue.NONE_VALUE : authority);
        }
        return super.getLowCardinalityKeyValues(context);
    }
}
