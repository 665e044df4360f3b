package dev.grpcpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * The cache in front of Spring Security's JWT provider, with a decoder that counts its work (the real signature
 * checks are BearerTokenIT's, against a real authorization server): a valid token is checked once and then known
 * until its {@code exp}; a refused token, or one without {@code exp}, is checked on every call.
 */
class VerifiedTokenCacheTest {

    private final Map<String, Jwt> valid = new ConcurrentHashMap<>();
    private final AtomicInteger decoded = new AtomicInteger();
    private final VerifiedTokenCache cache = new VerifiedTokenCache(new JwtAuthenticationProvider(token -> {
        decoded.incrementAndGet();
        Jwt jwt = valid.get(token);
        if (jwt == null) {
            throw new BadJwtException("bad signature");
        }
        return jwt;
    }), 100);

    @Test
    void aValidTokenIsCheckedOnceAndKeepsItsAuthorities() {
        valid.put("t1", jwt("t1", Instant.now().plusSeconds(300)));

        Authentication first = cache.authenticate(new BearerToken("t1"));
        Authentication second = cache.authenticate(new BearerToken("t1"));

        assertThat(decoded).hasValue(1);
        assertThat(second).isSameAs(first);
        assertThat(second.getName()).isEqualTo("chat-client");
        assertThat(second.getAuthorities()).extracting(Object::toString).containsExactly("SCOPE_chat");
    }

    @Test
    void aRefusedTokenIsCheckedOnEveryCall() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.authenticate(new BearerToken("forged")))
                    .isInstanceOf(InvalidBearerTokenException.class);
        }
        assertThat(decoded).hasValue(2);
    }

    @Test
    void aTokenIsNotKeptPastItsExpiryOrWithoutOne() {
        // Past its exp (the decoder's clock skew let it through): the next call is checked again.
        valid.put("late", jwt("late", Instant.now().minusSeconds(1)));
        valid.put("endless", jwt("endless", null));

        for (int i = 0; i < 2; i++) {
            cache.authenticate(new BearerToken("late"));
            cache.authenticate(new BearerToken("endless"));
        }
        assertThat(decoded).hasValue(4);
    }

    @Test
    void itAuthenticatesWhatSpringSecuritysProviderDoes() {
        assertThat(cache.supports(BearerTokenAuthenticationToken.class)).isTrue();
        assertThat(cache.supports(Authentication.class)).isFalse();
    }

    private static Jwt jwt(String token, Instant expiresAt) {
        Jwt.Builder jwt = Jwt.withTokenValue(token).header("alg", "RS256").subject("chat-client").claim("scope", "chat")
                .issuedAt(Instant.now().minusSeconds(10));
        return (expiresAt == null ? jwt : jwt.expiresAt(expiresAt)).build();
    }
}
