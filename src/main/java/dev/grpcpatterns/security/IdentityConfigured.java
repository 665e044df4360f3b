package dev.grpcpatterns.security;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Callers can have an identity: a JWT issuer or JWK set is configured (Boot's own resource-server keys), or the
 * gRPC port asks for client certificates (mutual TLS). Only then do {@link GrpcSecurityConfig}'s rules apply.
 */
class IdentityConfigured extends AnyNestedCondition {

    static final String ISSUER_URI = "spring.security.oauth2.resourceserver.jwt.issuer-uri";
    static final String JWK_SET_URI = "spring.security.oauth2.resourceserver.jwt.jwk-set-uri";
    static final String CLIENT_AUTH = "grpc.server.security.client-auth";

    IdentityConfigured() {
        super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnProperty(ISSUER_URI)
    static class Issuer {
    }

    @ConditionalOnProperty(JWK_SET_URI)
    static class JwkSet {
    }

    @ConditionalOnProperty(name = CLIENT_AUTH, havingValue = "REQUIRE")
    static class CertificateRequired {
    }

    @ConditionalOnProperty(name = CLIENT_AUTH, havingValue = "OPTIONAL")
    static class CertificateOptional {
    }
}
