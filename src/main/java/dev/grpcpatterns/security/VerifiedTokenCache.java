package dev.grpcpatterns.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Boot's {@link JwtDecoder} behind a bounded cache of the tokens it verified, so a caller who sends the same token
 * call after call pays the signature check once. A token stays no longer than it is valid (its {@code exp}); a
 * token without {@code exp} is never kept. Only tokens that passed every check get in.
 */
final class VerifiedTokenCache implements JwtDecoder {

    private final JwtDecoder decoder;
    private final Cache<String, Jwt> verified;

    VerifiedTokenCache(JwtDecoder decoder, int maximumSize) {
        this.decoder = decoder;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(Expiry.<String, Jwt>creating((token, jwt) -> untilExpiry(jwt)))
                .build();
    }

    @Override
    public Jwt decode(String token) {
        Jwt jwt = verified.getIfPresent(token);
        if (jwt == null) {
            jwt = decoder.decode(token);
            if (jwt.getExpiresAt() != null) {
                verified.put(token, jwt);
            }
        }
        return jwt;
    }

    /** Zero for a token past its {@code exp} that the validator's clock skew still let through. */
    private static Duration untilExpiry(Jwt jwt) {
        Duration left = Duration.between(Instant.now(), jwt.getExpiresAt());
        return left.isNegative() ? Duration.ZERO : left;
    }
}
