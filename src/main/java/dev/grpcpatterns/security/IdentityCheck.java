package dev.grpcpatterns.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Says in one line at start-up who may call the gRPC port, and in {@code prod} refuses the starts a careful operator
 * would not want: callers without an identity (unless {@code identity.open-on-purpose} says so), and JWTs taken
 * whatever their audience, so that a token the same issuer minted for another client would do here (RFC 8725).
 */
@Component
@Profile("!client")
class IdentityCheck {

    static final String AUDIENCES = "spring.security.oauth2.resourceserver.jwt.audiences";

    private static final Logger log = LoggerFactory.getLogger(IdentityCheck.class);
    private static final String HOW = IdentityConfigured.ISSUER_URI + " or " + IdentityConfigured.JWK_SET_URI
            + " with " + AUDIENCES + " (JWT bearer tokens), or " + IdentityConfigured.CLIENT_AUTH
            + "=REQUIRE (mutual TLS)";

    IdentityCheck(Environment environment, IdentityProperties properties) {
        boolean prod = environment.acceptsProfiles(Profiles.of("prod"));
        boolean jwt = IdentityConfigured.jwt(environment);
        boolean certificates = IdentityConfigured.certificates(environment);
        List<String> audiences = Binder.get(environment).bind(AUDIENCES, Bindable.listOf(String.class))
                .orElse(List.of());
        if (jwt && audiences.isEmpty() && prod) {
            throw new UnsafeIdentity("JWT bearer tokens are on without an audience: a token the same issuer minted "
                    + "for any other client would be accepted here (RFC 8725).",
                    "Set " + AUDIENCES + " to the audience your issuer puts in this service's tokens.");
        }
        if (jwt || certificates) {
            List<String> kinds = new ArrayList<>();
            if (jwt) {
                kinds.add("JWT bearer tokens" + (audiences.isEmpty() ? " for any audience" : " for " + audiences));
            }
            if (certificates) {
                kinds.add("client certificates (" + environment.getProperty(IdentityConfigured.CLIENT_AUTH)
                        .toUpperCase(Locale.ROOT) + ")");
            }
            log.info("gRPC callers need an identity: {}; each method as identity.rules.* says, any other refused",
                    String.join(" or ", kinds));
        } else if (properties.openOnPurpose()) {
            log.warn("gRPC port open on purpose (identity.open-on-purpose=true): no caller identity is checked, "
                    + "anyone who reaches the port may call every method");
        } else if (prod) {
            throw new UnsafeIdentity("The prod profile needs callers with an identity, and none is configured.",
                    "Set " + HOW + "; or identity.open-on-purpose=true if the service is open on purpose (e.g. "
                            + "behind a gateway that authenticates).");
        } else {
            // INFO, not WARN: the development default, documented, which prod (and so the image) refuses.
            log.info("gRPC port open: no caller identity configured, anyone who reaches the port may call every "
                    + "method (development defaults; the prod profile refuses to start so). To require one, set {}",
                    HOW);
        }
    }
}
