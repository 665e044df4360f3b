package dev.grpcpatterns.security;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * Who may call which gRPC method ({@code identity.*} in application.yml), checked as it is bound. The rules apply
 * once callers have an identity (a JWT issuer or JWK set, or mutual TLS, is configured); until then the port is
 * open, as in development.
 *
 * @param openOnPurpose         the {@code prod} profile refuses to start without an identity unless this says the
 *                              service is open on purpose (e.g. behind a gateway that authenticates)
 * @param rules                 what each method needs; a method no rule names is refused
 * @param certificateAuthorities the authorities of a caller known by its client certificate (mutual TLS)
 * @param tokenCacheSize        verified tokens kept, each no longer than it is valid, so a hot caller does not pay
 *                              a signature check per call; 0 checks every call
 */
@ConfigurationProperties("identity")
public record IdentityProperties(
        boolean openOnPurpose,
        Rules rules,
        List<String> certificateAuthorities,
        int tokenCacheSize) {

    public IdentityProperties {
        Assert.notNull(rules, "identity.rules must be set");
        Assert.notNull(certificateAuthorities, "identity.certificate-authorities must be set");
        certificateAuthorities.forEach(authority -> Assert.isTrue(Access.AUTHORITY.matcher(authority).matches(),
                "identity.certificate-authorities: '" + authority + "' is not an authority"));
        Assert.isTrue(tokenCacheSize >= 0, "identity.token-cache-size must not be negative");
    }

    /**
     * The access of each group of methods, each {@code permit-all}, {@code authenticated}, {@code deny-all} or an
     * authority the caller must have, {@code PREFIX_name} (a token's scope {@code chat} is {@code SCOPE_chat}).
     *
     * @param health     grpc.health.v1.Health/* (probes carry no credentials)
     * @param reflection grpc.reflection.v1alpha.ServerReflection/* and v1 (grpcurl, tools)
     * @param sayHello   grpcpatterns.v1.Greeter/SayHello
     * @param chat       grpcpatterns.v1.ChatService/*
     */
    public record Rules(String health, String reflection, String sayHello, String chat) {

        public Rules {
            Access.check("identity.rules.health", health);
            Access.check("identity.rules.reflection", reflection);
            Access.check("identity.rules.say-hello", sayHello);
            Access.check("identity.rules.chat", chat);
        }
    }

    /** The words a rule may hold besides an authority. */
    static final class Access {

        static final String PERMIT_ALL = "permit-all";
        static final String AUTHENTICATED = "authenticated";
        static final String DENY_ALL = "deny-all";
        /** {@code SCOPE_chat}, {@code ROLE_admin}: an upper-case prefix, so a misspelt keyword is not taken for one. */
        static final Pattern AUTHORITY = Pattern.compile("[A-Z]+_[A-Za-z0-9_:.\\-]+");

        private Access() {
        }

        static void check(String key, String access) {
            Assert.isTrue(access != null && (Set.of(PERMIT_ALL, AUTHENTICATED, DENY_ALL).contains(access)
                            || AUTHORITY.matcher(access).matches()),
                    key + " must be permit-all, authenticated, deny-all or an authority such as SCOPE_chat, not '"
                            + access + "'");
        }
    }
}
