package dev.grpcpatterns.security;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Profile;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.stereotype.Component;

/** In {@code prod}, an open gRPC port is a decision, never an accident: start-up fails unless callers need an identity. */
@Component
@Profile("prod")
class ProdIdentityCheck {

    ProdIdentityCheck(ObjectProvider<AuthenticationManager> grpcAuthentication, IdentityProperties properties) {
        if (grpcAuthentication.getIfAvailable() == null && !properties.openOnPurpose()) {
            throw new IllegalStateException("The prod profile needs callers with an identity: set "
                    + IdentityConfigured.ISSUER_URI + " or " + IdentityConfigured.JWK_SET_URI
                    + " (JWT bearer tokens), or " + IdentityConfigured.CLIENT_AUTH + "=REQUIRE (mutual TLS); "
                    + "or identity.open-on-purpose=true if the service is open on purpose");
        }
    }
}
