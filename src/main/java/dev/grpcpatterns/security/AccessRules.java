package dev.grpcpatterns.security;

import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.security.IdentityProperties.Access;
import dev.grpcpatterns.security.IdentityProperties.Rules;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServiceDescriptor;
import io.grpc.health.v1.HealthGrpc;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import net.devh.boot.grpc.server.security.check.AbstractGrpcSecurityMetadataSource;
import net.devh.boot.grpc.server.security.check.AccessPredicate;
import net.devh.boot.grpc.server.security.check.AccessPredicateConfigAttribute;
import org.springframework.security.access.ConfigAttribute;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The settings' rules as net.devh's per-method access attributes. Methods are named by the generated descriptors,
 * so a renamed RPC cannot silently fall out of its rule; every method no rule names is denied.
 *
 * <p>Keyed by full method name, not by descriptor like net.devh's {@code ManualGrpcSecurityMetadataSource}:
 * grpc-java's v1alpha reflection service is served with descriptors of its own, so an identity lookup misses it.
 */
final class AccessRules extends AbstractGrpcSecurityMetadataSource {

    private static final Collection<ConfigAttribute> DENY_ALL = attributes(Access.DENY_ALL);

    private final Map<String, Collection<ConfigAttribute>> byMethod = new HashMap<>();

    AccessRules(Rules rules) {
        set(HealthGrpc.getServiceDescriptor(), rules.health());
        // grpcurl asks v1 first and falls back to v1alpha, the one net.devh serves.
        set(io.grpc.reflection.v1alpha.ServerReflectionGrpc.getServiceDescriptor(), rules.reflection());
        set(io.grpc.reflection.v1.ServerReflectionGrpc.getServiceDescriptor(), rules.reflection());
        set(GreeterGrpc.getSayHelloMethod(), rules.sayHello());
        set(ChatServiceGrpc.getServiceDescriptor(), rules.chat());
    }

    private void set(ServiceDescriptor service, String access) {
        service.getMethods().forEach(method -> set(method, access));
    }

    private void set(MethodDescriptor<?, ?> method, String access) {
        byMethod.put(method.getFullMethodName(), attributes(access));
    }

    @Override
    public Collection<ConfigAttribute> getAttributes(ServerCall<?, ?> call) {
        return byMethod.getOrDefault(call.getMethodDescriptor().getFullMethodName(), DENY_ALL);
    }

    @Override
    public Collection<ConfigAttribute> getAllConfigAttributes() {
        Collection<ConfigAttribute> all = new HashSet<>(DENY_ALL);
        byMethod.values().forEach(all::addAll);
        return all;
    }

    /** No attributes is a public call for Spring Security; anything else is one predicate the caller must pass. */
    private static Collection<ConfigAttribute> attributes(String access) {
        AccessPredicate predicate = switch (access) {
            case Access.PERMIT_ALL -> null;
            case Access.AUTHENTICATED -> AccessPredicate.authenticated();
            case Access.DENY_ALL -> AccessPredicate.denyAll();
            default -> AccessPredicate.hasAuthority(new SimpleGrantedAuthority(access));
        };
        return predicate == null ? List.of() : List.of(new AccessPredicateConfigAttribute(predicate));
    }
}
