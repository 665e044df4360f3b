package dev.grpcpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.mock.env.MockEnvironment;

/**
 * When Spring Security is built at all: for an identity, an OAuth2 client, or an exposed sensitive endpoint; never
 * for the service as it starts by default or in prod (both contexts are checked with the jar's own configuration
 * in {@link ProdExposureTest}; with an identity by {@link ProdIdentityIT}, {@link BearerTokenIT} and
 * {@link MutualTlsIT}; a sensitive endpoint by {@link SensitiveEndpointsTest}).
 */
class SpringSecurityNeededTest {

    private static final String BOOT_SECURITY = "org.springframework.boot.autoconfigure.security.servlet."
            + "SecurityAutoConfiguration";
    private static final String GRPC_SECURITY = "net.devh.boot.grpc.server.autoconfigure."
            + "GrpcServerSecurityAutoConfiguration";
    private static final String OTHER = "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration";

    @Test
    void isAnImportFilterOfTheApplication() {
        assertThat(SpringFactoriesLoader.loadFactoryNames(AutoConfigurationImportFilter.class,
                getClass().getClassLoader())).contains(SpringSecurityWhenNeeded.class.getName());
    }

    @Test
    void notNeededWithoutIdentityOrSensitiveEndpoints() {
        assertThat(needed(new MockEnvironment())).isFalse();
        assertThat(needed(new MockEnvironment()
                .withProperty(SpringSecurityNeeded.EXPOSED, "health, info, metrics, prometheus")
                .withProperty(IdentityConfigured.CLIENT_AUTH, "NONE"))).isFalse();
        assertThat(imported(new MockEnvironment())).containsExactly(false, false, true, true);
    }

    @Test
    void neededForAnIdentity() {
        assertThat(needed(new MockEnvironment().withProperty(IdentityConfigured.ISSUER_URI, "http://issuer"))).isTrue();
        assertThat(needed(new MockEnvironment().withProperty(IdentityConfigured.JWK_SET_URI, "http://jwks"))).isTrue();
        assertThat(needed(new MockEnvironment().withProperty(IdentityConfigured.CLIENT_AUTH, "require"))).isTrue();
        assertThat(needed(new MockEnvironment().withProperty(IdentityConfigured.CLIENT_AUTH, "OPTIONAL"))).isTrue();
        assertThat(imported(new MockEnvironment().withProperty(IdentityConfigured.ISSUER_URI, "http://issuer")))
                .containsExactly(true, true, true, true);
    }

    @Test
    void neededForAnOAuth2Client() {
        assertThat(needed(new MockEnvironment().withProperty(SpringSecurityNeeded.OAUTH2_CLIENTS
                + ".demo.client-id", "demo"))).isTrue();
    }

    @Test
    void neededForAnExposedSensitiveEndpoint() {
        assertThat(needed(new MockEnvironment().withProperty(SpringSecurityNeeded.EXPOSED, "health,env"))).isTrue();
        assertThat(needed(new MockEnvironment().withProperty(SpringSecurityNeeded.EXPOSED, "*"))).isTrue();
    }

    private static boolean needed(MockEnvironment environment) {
        return SpringSecurityNeeded.needed(environment);
    }

    /** What the filter lets Boot consider, for Boot's and net.devh's security, another, and a null slot. */
    private static List<Boolean> imported(MockEnvironment environment) {
        SpringSecurityWhenNeeded filter = new SpringSecurityWhenNeeded();
        filter.setEnvironment(environment);
        boolean[] match = filter.match(new String[] {BOOT_SECURITY, GRPC_SECURITY, OTHER, null}, null);
        return List.of(match[0], match[1], match[2], match[3]);
    }
}
