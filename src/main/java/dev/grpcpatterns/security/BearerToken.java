package dev.grpcpatterns.security;

import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * A caller's bearer token before it is verified. Spring's token names itself by the token, and net.devh logs an
 * authentication's name at debug: this one never shows the token, in a name or a {@code toString()}.
 */
final class BearerToken extends BearerTokenAuthenticationToken {

    private static final String NAME = "bearer token";

    BearerToken(String token) {
        super(token);
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
