package dev.grpcpatterns.security;

import dev.grpcpatterns.security.IdentityProperties.Access;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The actuator endpoints beyond those the profiles expose on purpose ({@value #PUBLIC_IDS}) need the caller
 * {@code identity.sensitive-endpoints} names, a bearer token verified as on the gRPC port: exposing {@code env},
 * {@code heapdump}, {@code loggers} and the like with {@code management.endpoints.web.exposure.include} alone
 * publishes them to nobody. Without JWTs configured no caller can have an identity here, so they stay refused.
 * Stateless, no session and no CSRF token: a bearer token is not sent by a browser on its own.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Conditional(SpringSecurityNeeded.class)
class SensitiveEndpointsAccess {

    static final String PUBLIC_IDS = "health, info, metrics, prometheus";

    @Bean
    @Order(0)
    SecurityFilterChain sensitiveEndpoints(HttpSecurity http, IdentityProperties identity,
            ObjectProvider<JwtDecoder> jwtDecoder) throws Exception {
        http.securityMatcher(EndpointRequest.toAnyEndpoint().excluding(PUBLIC_IDS.split(", ")).excludingLinks())
                .authorizeHttpRequests(requests -> {
                    var all = requests.anyRequest();
                    switch (identity.sensitiveEndpoints()) {
                        case Access.PERMIT_ALL -> all.permitAll();
                        case Access.AUTHENTICATED -> all.authenticated();
                        case Access.DENY_ALL -> all.denyAll();
                        default -> all.hasAuthority(identity.sensitiveEndpoints());
                    }
                })
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable);
        if (jwtDecoder.getIfAvailable() != null) {
            http.oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults()));
        }
        return http.build();
    }
}
