package dev.grpcpatterns.authserver;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What only a test needs: rotate the signing key, and sign claims a client-credentials grant would never produce
 * (expired, not yet valid, another issuer) with the server's real current key.
 */
@RestController
class TestEndpoints {

    private static final Set<String> TIMES = Set.of("exp", "nbf", "iat");

    private final SigningKeys keys;
    private final JwtEncoder encoder;
    private final IssuedTokens issued;

    TestEndpoints(SigningKeys keys, JwtEncoder encoder, IssuedTokens issued) {
        this.keys = keys;
        this.encoder = encoder;
        this.issued = issued;
    }

    /** How many access tokens {@code clientId} was issued. */
    @GetMapping("/test/issued/{clientId}")
    int issued(@PathVariable String clientId) {
        return issued.count(clientId);
    }

    /** Makes a new signing key current and answers its key id. */
    @PostMapping("/test/rotate")
    String rotate() {
        return keys.rotate();
    }

    /** Signs {@code claims} (times as epoch seconds) with the current key, RS256, and answers the JWT. */
    @PostMapping("/test/mint")
    String mint(@RequestBody Map<String, Object> claims) {
        JwtClaimsSet.Builder builder = JwtClaimsSet.builder();
        claims.forEach((name, value) -> builder.claim(name,
                TIMES.contains(name) ? Instant.ofEpochSecond(((Number) value).longValue()) : value));
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).build();
        return encoder.encode(JwtEncoderParameters.from(header, builder.build())).getTokenValue();
    }
}
