package dev.grpcpatterns.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * Switches Spring Security's defaults off on the HTTP port. Besides the sensitive actuator endpoints (their own chain,
 * {@link SensitiveEndpointsAccess}, comes first) that port serves the endpoints whose exposure
 * {@code management.endpoints.*} already limits, and probes carry no credentials. Spring Security on the classpath
 * would otherwise lock every URL (and Boot's resource-server and client auto-configurations would add logins): one
 * chain without filters, the last one, keeps them as they were.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Conditional(SpringSecurityNeeded.class)
class HttpSecurityDefaultsOff {

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    SecurityFilterChain actuatorWithoutLogin() {
        return new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE);
    }
}
