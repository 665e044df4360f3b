package dev.grpcpatterns.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * Switches Spring Security's defaults off on the HTTP port. That port serves only the actuator, whose exposure
 * {@code management.endpoints.*} already limits, and probes carry no credentials. Spring Security on the classpath
 * would otherwise lock every URL (and Boot's resource-server and client auto-configurations would add logins): one
 * chain without filters keeps it as it was.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class HttpSecurityDefaultsOff {

    @Bean
    SecurityFilterChain actuatorWithoutLogin() {
        return new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE);
    }
}
