package dev.grpcpatterns.security;

import java.util.List;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Spring Security has something to do: callers can have an identity ({@link IdentityConfigured}'s settings), an
 * OAuth2 client registration is configured (the demo's token), or an actuator endpoint beyond
 * {@value SensitiveEndpointsAccess#PUBLIC_IDS} is exposed over HTTP and must be refused or checked. Otherwise the
 * gRPC port checks no identity and the HTTP port serves only endpoints open to all, and nothing of Spring Security
 * is loaded or built ({@link SpringSecurityWhenNeeded}).
 */
class SpringSecurityNeeded extends SpringBootCondition {

    static final String OAUTH2_CLIENTS = "spring.security.oauth2.client.registration";
    static final String EXPOSED = "management.endpoints.web.exposure.include";

    private static final Set<String> PUBLIC_IDS = Set.of(SensitiveEndpointsAccess.PUBLIC_IDS.split(", "));

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return new ConditionOutcome(needed(context.getEnvironment()), "Spring Security's users (an identity, an OAuth2 "
                + "client, a sensitive endpoint exposed)");
    }

    static boolean needed(Environment environment) {
        Binder binder = Binder.get(environment);
        return IdentityConfigured.configured(environment)
                || binder.bind(OAUTH2_CLIENTS, Bindable.mapOf(String.class, Object.class)).isBound()
                || binder.bind(EXPOSED, Bindable.listOf(String.class)).orElse(List.of()).stream()
                        .map(String::trim).anyMatch(id -> !PUBLIC_IDS.contains(id));
    }
}
