package dev.grpcpatterns.demo;

import java.util.Map;
import net.devh.boot.grpc.client.inject.StubTransformer;
import net.devh.boot.grpc.client.security.CallCredentialsHelper;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

/**
 * With an OAuth2 client registration named {@code demo} ({@code spring.security.oauth2.client.registration.demo.*},
 * grant type {@code client_credentials}), every call on the demo channel carries its access token
 * ({@link DemoAccessToken}: over TLS only, unless {@code demo.token-over-plaintext}). Spring Security's manager for
 * code outside a web request keeps the token and fetches a new one once it expires within a minute (the
 * client-credentials provider's clock skew), so the token is renewed before it runs out.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "spring.security.oauth2.client.registration." + DemoServiceConfig.CHANNEL,
        name = "client-id")
class DemoTokens {

    @Bean
    StubTransformer demoBearerToken(ClientRegistrationRepository registrations,
            OAuth2AuthorizedClientService authorizedClients, DemoProperties demo) {
        var manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, authorizedClients);
        OAuth2AuthorizeRequest request = OAuth2AuthorizeRequest.withClientRegistrationId(DemoServiceConfig.CHANNEL)
                .principal("grpc-patterns-demo").build();
        return CallCredentialsHelper.mappedCredentialsStubTransformer(Map.of(DemoServiceConfig.CHANNEL,
                new DemoAccessToken(() -> manager.authorize(request), demo.tokenOverPlaintext())));
    }
}
