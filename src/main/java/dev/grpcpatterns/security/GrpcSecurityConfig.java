package dev.grpcpatterns.security;

import java.util.ArrayList;
import java.util.List;
import net.devh.boot.grpc.server.security.authentication.BearerAuthenticationReader;
import net.devh.boot.grpc.server.security.authentication.CompositeGrpcAuthenticationReader;
import net.devh.boot.grpc.server.security.authentication.GrpcAuthenticationReader;
import net.devh.boot.grpc.server.security.authentication.SSLContextGrpcAuthenticationReader;
import net.devh.boot.grpc.server.security.authentication.X509CertificateAuthenticationProvider;
import net.devh.boot.grpc.server.security.check.AccessPredicateVoter;
import net.devh.boot.grpc.server.security.check.GrpcSecurityMetadataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.AccessDecisionManager;
import org.springframework.security.access.vote.AffirmativeBased;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * Identity and per-method rules on the gRPC port, assembled from net.devh's Spring Security integration: its
 * interceptors (authentication, then the access check, with failures turned into UNAUTHENTICATED and
 * PERMISSION_DENIED) pick up the beans below. A bearer token is verified by Boot's resource-server
 * {@link JwtDecoder} ({@code spring.security.oauth2.resourceserver.jwt.*}); a client certificate (mutual TLS) names
 * the caller by its subject's CN. A call with both is known by its token.
 *
 * <p>net.devh 3.1.0 checks access through Spring Security's {@link AccessDecisionManager}, which Spring Security 6.5
 * deprecates but still ships; net.devh has no {@code AuthorizationManager} path yet.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(IdentityConfigured.class)
class GrpcSecurityConfig {

    @Bean
    AuthenticationManager grpcAuthenticationManager(ObjectProvider<JwtDecoder> jwtDecoder,
            IdentityProperties properties) {
        List<AuthenticationProvider> providers = new ArrayList<>();
        jwtDecoder.ifAvailable(decoder -> {
            AuthenticationProvider jwt = new JwtAuthenticationProvider(decoder);
            int cacheSize = properties.tokenCacheSize();
            providers.add(cacheSize == 0 ? jwt : new VerifiedTokenCache(jwt, cacheSize));
        });
        String[] authorities = properties.certificateAuthorities().toArray(String[]::new);
        providers.add(new X509CertificateAuthenticationProvider(
                commonName -> User.withUsername(commonName).password("").authorities(authorities).build()));
        return new ProviderManager(providers);
    }

    @Bean
    GrpcAuthenticationReader grpcAuthenticationReader() {
        return new CompositeGrpcAuthenticationReader(List.of(
                new BearerAuthenticationReader(BearerToken::new),
                new SSLContextGrpcAuthenticationReader()));
    }

    @Bean
    GrpcSecurityMetadataSource grpcAccessRules(IdentityProperties properties) {
        return new AccessRules(properties.rules());
    }

    @Bean
    @SuppressWarnings("deprecation")
    AccessDecisionManager grpcAccessDecisionManager() {
        return new AffirmativeBased(List.of(new AccessPredicateVoter()));
    }
}
