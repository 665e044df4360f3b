package dev.grpcpatterns.authserver;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The RSA keys of this server: the current one signs; the JWK set publishes it and every former one. */
@Component
class SigningKeys {

    private volatile RSAKey current = generate();
    private final List<JWK> former = new ArrayList<>();

    RSAKey current() {
        return current;
    }

    synchronized List<JWK> published() {
        List<JWK> keys = new ArrayList<>(List.of(current.toPublicJWK()));
        former.forEach(key -> keys.add(key.toPublicJWK()));
        return keys;
    }

    /** A new current key; the former one stays in the JWK set, so tokens it signed remain verifiable. */
    synchronized String rotate() {
        former.add(0, current);
        current = generate();
        return current.getKeyID();
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
