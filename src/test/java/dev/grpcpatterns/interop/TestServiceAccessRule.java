package dev.grpcpatterns.interop;

import io.grpc.ServerCall;
import io.grpc.testing.integration.TestServiceGrpc;
import java.util.Collection;
import java.util.List;
import net.devh.boot.grpc.server.security.check.AbstractGrpcSecurityMetadataSource;
import net.devh.boot.grpc.server.security.check.GrpcSecurityMetadataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Profile;
import org.springframework.security.access.ConfigAttribute;
import org.springframework.stereotype.Component;

/**
 * The test service's access rule, beside the service's own: with an identity configured every method no rule names
 * is denied, and gRPC's interop client carries no credentials, so {@code grpc.testing.TestService/*} is public
 * (no attributes, as {@code permit-all} is in security/AccessRules). Everything else keeps the service's rules.
 */
@Profile("interop")
@Component
class TestServiceAccessRule implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof GrpcSecurityMetadataSource rules ? new WithTestService(rules) : bean;
    }

    private static final class WithTestService extends AbstractGrpcSecurityMetadataSource {

        private final GrpcSecurityMetadataSource rules;

        WithTestService(GrpcSecurityMetadataSource rules) {
            this.rules = rules;
        }

        @Override
        public Collection<ConfigAttribute> getAttributes(ServerCall<?, ?> call) {
            String service = call.getMethodDescriptor().getServiceName();
            return TestServiceGrpc.SERVICE_NAME.equals(service) ? List.of() : rules.getAttributes(call);
        }

        @Override
        public Collection<ConfigAttribute> getAllConfigAttributes() {
            return rules.getAllConfigAttributes();
        }
    }
}
