package dev.grpcpatterns.authserver;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A Spring Authorization Server for the service's security tests: client-credentials tokens over real HTTP, signed
 * with a key that {@link TestEndpoints} can rotate while the JWK set keeps publishing the former keys.
 */
@SpringBootApplication
public class TestAuthorizationServer {

    public static void main(String[] args) {
        SpringApplication.run(TestAuthorizationServer.class, args);
    }

    /** The authorization server's own endpoints (token, JWK set, metadata), as Spring Authorization Server sets them. */
    @Bean
    @Order(1)
    SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, configurer -> configurer.oidc(Customizer.withDefaults()))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .csrf(csrf -> csrf.ignoringRequestMatchers(server.getEndpointsMatcher()));
        return http.build();
    }

    /** The tests' own endpoints ({@link TestEndpoints}): open, this server only ever runs inside a test. */
    @Bean
    @Order(2)
    SecurityFilterChain testEndpointsChain(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(AbstractHttpConfigurer::disable)
                .build();
    }

    /** The published JWK set: the current signing key and every former one (public parts only). */
    @Bean
    JWKSource<SecurityContext> jwkSource(SigningKeys keys) {
        return (selector, context) -> selector.select(new JWKSet(keys.published()));
    }

    /** Tokens are signed with the current key only (the JWK set holds several, which would be ambiguous). */
    @Bean
    JwtEncoder jwtEncoder(SigningKeys keys) {
        return new NimbusJwtEncoder((selector, context) -> selector.select(new JWKSet(keys.current())));
    }

    /**
     * Every token's audience is the service's, except for the clients meant to show a wrong audience; and each
     * token is counted.
     */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> audience(@Value("${authserver.audience}") String audience,
            @Value("${authserver.other-audience-clients}") List<String> otherAudienceClients, IssuedTokens issued) {
        return context -> {
            String clientId = context.getRegisteredClient().getClientId();
            if (!otherAudienceClients.contains(clientId)) {
                context.getClaims().audience(List.of(audience));
            }
            issued.issued(clientId);
        };
    }
}
