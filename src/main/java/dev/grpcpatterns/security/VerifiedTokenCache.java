package dev.grpcpatterns.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Spring Security's {@link JwtAuthenticationProvider} behind a bounded cache of the callers it authenticated, keyed
 * by their token, so a caller who sends the same token call after call pays once for the signature check, the claim
 * validation and the conversion into authorities. A token stays no longer than it is valid (its {@code exp}); a
 * token without {@code exp} is never kept. Only tokens that passed every check get in, and a refused token is
 * checked again on every call.
 *
 * <p>The cached {@link JwtAuthenticationToken} is shared by the calls that carry the same token: it is immutable
 * once authenticated (its details, the only settable part, are never set on the gRPC path).
 */
final class VerifiedTokenCache implements AuthenticationProvider {

    private final AuthenticationProvider provider;
    private final Cache<String, JwtAuthenticationToken> verified;

    VerifiedTokenCache(AuthenticationProvider provider, int maximumSize) {
        this.provider = provider;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(Expiry.<String, JwtAuthenticationToken>creating((token, caller) -> untilExpiry(caller)))
                .build();
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        JwtAuthenticationToken known = verified.getIfPresent(token);
        if (known != null) {
            return known;
        }
        Authentication caller = provider.authenticate(authentication);
        if (caller instanceof JwtAuthenticationToken jwt && jwt.getToken().getExpiresAt() != null) {
            verified.put(token, jwt);
        }
        return caller;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return provider.supports(authentication);
    }

    /** Zero for a token past its {@code exp} that the validator's clock skew still let through. */
    private static Duration untilExpiry(JwtAuthenticationToken caller) {
        Duration left = Duration.between(Instant.now(), caller.getToken().getExpiresAt());
        return left.isNegative() ? Duration.ZERO : left;
    }
}
