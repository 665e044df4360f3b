package dev.grpcpatterns.security;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Callers can have an identity: a JWT issuer or JWK set is configured (Boot's own resource-server keys), or the
 * gRPC port asks for client certificates (mutual TLS). Only then do {@link GrpcSecurityConfig}'s rules apply.
 */
class IdentityConfigured extends SpringBootCondition {

    static final String ISSUER_URI = "spring.security.oauth2.resourceserver.jwt.issuer-uri";
    static final String JWK_SET_URI = "spring.security.oauth2.resourceserver.jwt.jwk-set-uri";
    static final String CLIENT_AUTH = "grpc.server.security.client-auth";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return new ConditionOutcome(configured(context.getEnvironment()), "callers' identity (JWT issuer or JWK set, "
                + "or client certificates)");
    }

    static boolean jwt(PropertyResolver settings) {
        return settings.containsProperty(ISSUER_URI) || settings.containsProperty(JWK_SET_URI);
    }

    static boolean certificates(PropertyResolver settings) {
        String clientAuth = settings.getProperty(CLIENT_AUTH, "NONE");
        return clientAuth.equalsIgnoreCase("REQUIRE") || clientAuth.equalsIgnoreCase("OPTIONAL");
    }

    static boolean configured(PropertyResolver settings) {
        return jwt(settings) || certificates(settings);
    }
}
