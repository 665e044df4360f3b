package dev.grpcpatterns.security;

import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.security.GrpcSecurityProperties.Access;
import dev.grpcpatterns.security.GrpcSecurityProperties.Rules;
import io.grpc.health.v1.HealthGrpc;
import net.devh.boot.grpc.server.security.check.AccessPredicate;
import net.devh.boot.grpc.server.security.check.GrpcSecurityMetadataSource;
import net.devh.boot.grpc.server.security.check.ManualGrpcSecurityMetadataSource;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The settings' rules as net.devh's per-method access map. Methods are named by the generated descriptors, so a
 * renamed RPC cannot silently fall out of its rule; every method no rule names is denied.
 */
final class AccessRules {

    private AccessRules() {
    }

    static GrpcSecurityMetadataSource of(Rules rules) {
        return new ManualGrpcSecurityMetadataSource()
                .set(HealthGrpc.getServiceDescriptor(), predicate(rules.health()))
                // grpcurl asks v1 first and falls back to v1alpha, the one net.devh serves.
                .set(io.grpc.reflection.v1alpha.ServerReflectionGrpc.getServiceDescriptor(),
                        predicate(rules.reflection()))
                .set(io.grpc.reflection.v1.ServerReflectionGrpc.getServiceDescriptor(), predicate(rules.reflection()))
                .set(GreeterGrpc.getSayHelloMethod(), predicate(rules.sayHello()))
                .set(ChatServiceGrpc.getServiceDescriptor(), predicate(rules.chat()))
                .setDefault(AccessPredicate.denyAll());
    }

    static AccessPredicate predicate(String access) {
        return switch (access) {
            case Access.PERMIT_ALL -> AccessPredicate.permitAll();
            case Access.AUTHENTICATED -> AccessPredicate.authenticated();
            case Access.DENY_ALL -> AccessPredicate.denyAll();
            default -> AccessPredicate.hasAuthority(new SimpleGrantedAuthority(access));
        };
    }
}
