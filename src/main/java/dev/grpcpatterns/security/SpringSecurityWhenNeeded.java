package dev.grpcpatterns.security;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Spring Security's auto-configurations (Boot's, actuator's and net.devh's gRPC interceptors) are not even
 * considered unless {@link SpringSecurityNeeded}: with Spring Security on the classpath, Boot would otherwise build
 * its filter chains, resource server and client beans at every start (about 500 classes and 45 beans) for a service
 * that checks no identity. Registered in {@code META-INF/spring.factories}; Boot asks it before evaluating any
 * condition of those classes.
 */
class SpringSecurityWhenNeeded implements AutoConfigurationImportFilter, EnvironmentAware {

    private static final String[] PACKAGES = {"org.springframework.boot.autoconfigure.security.",
            "org.springframework.boot.actuate.autoconfigure.security."};
    // By name: asking for the class would load it, which this filter exists to avoid.
    private static final String GRPC_SERVER_SECURITY =
            "net.devh.boot.grpc.server.autoconfigure.GrpcServerSecurityAutoConfiguration";

    private boolean needed = true;

    @Override
    public void setEnvironment(Environment environment) {
        needed = SpringSecurityNeeded.needed(environment);
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] match = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < match.length; i++) {
            match[i] = needed || !isSecurity(autoConfigurationClasses[i]);
        }
        return match;
    }

    private static boolean isSecurity(String autoConfiguration) {
        if (autoConfiguration == null) {
            return false;
        }
        for (String securityPackage : PACKAGES) {
            if (autoConfiguration.startsWith(securityPackage)) {
                return true;
            }
        }
        return autoConfiguration.equals(GRPC_SERVER_SECURITY);
    }
}
