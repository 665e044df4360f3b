package dev.grpcpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.grpcpatterns.security.IdentityProperties.Rules;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules and limits that mean nothing are refused as they are bound, naming the key. */
class IdentityPropertiesTest {

    private static final Rules RULES = new Rules("permit-all", "deny-all", "authenticated", "SCOPE_chat");

    @Test
    void acceptsTheFourKindsOfRule() {
        assertThat(new IdentityProperties(false, RULES, List.of("SCOPE_chat"), 0).rules()).isEqualTo(RULES);
    }

    @Test
    void refusesARuleThatIsNoneOfThem() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Rules("permit-all", "permit-all", "authenticted", "SCOPE_chat"))
                .withMessageStartingWith("identity.rules.say-hello must be permit-all, authenticated, deny-all or an "
                        + "authority");
        assertThatIllegalArgumentException().isThrownBy(() -> new Rules("", "permit-all", "authenticated", "SCOPE_chat"))
                .withMessageStartingWith("identity.rules.health must be");
    }

    @Test
    void refusesBadAuthoritiesAndANegativeCache() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new IdentityProperties(false, RULES, List.of("SCOPE chat"), 0))
                .withMessage("identity.certificate-authorities: 'SCOPE chat' is not an authority");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new IdentityProperties(false, RULES, List.of(), -1))
                .withMessage("identity.token-cache-size must not be negative");
    }
}
