package dev.grpcpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcpatterns.demo.DemoFlows;
import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.support.AppProcess;
import dev.grpcpatterns.support.ArticleOutput;
import dev.grpcpatterns.support.AuthorizationServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Both identities at once: mutual TLS on the real port and JWTs from the real authorization server. A certificate
 * alone gets no authorities here ({@code identity.certificate-authorities} empty), so the demo's Chat flows pass
 * only because its channel carries the client-credentials token it fetched itself ({@code
 * spring.security.oauth2.client.registration.demo.*}); a client of tokens that expire in 65 s has its token renewed
 * once it is within the minute of its expiry.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"demo.enabled=false", "demo.chat-pause=0s", "chat.server-stream.interval=0s",
                "identity.certificate-authorities="})
@Import(DemoFlows.class)
class DemoTokenIT {

    private static final int PORT = AppProcess.freePort();
    private static final String CLIENT = "short-lived-client";
    /** The principal demo/DemoTokens authorizes as. */
    private static final String DEMO_PRINCIPAL = "grpc-patterns-demo";
    /** Spring Security's client-credentials provider renews a token this long before its expiry (its default). */
    private static final Duration PROVIDER_CLOCK_SKEW = Duration.ofSeconds(60);

    @TempDir
    static Path certs;

    static TestPki pki;
    static AuthorizationServer authorizationServer;

    @DynamicPropertySource
    static void mutualTlsAndTokens(DynamicPropertyRegistry registry) {
        pki = TestPki.create(certs.resolve("pki"));
        pki.serveMutualTls(registry, PORT);
        pki.demoOverMutualTls(registry, PORT);
        authorizationServer = AuthorizationServer.start();
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", authorizationServer::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> AuthorizationServer.AUDIENCE);

        String registration = "spring.security.oauth2.client.registration.demo.";
        registry.add(registration + "client-id", () -> CLIENT);
        registry.add(registration + "client-secret", () -> "short-lived-secret");
        registry.add(registration + "authorization-grant-type", () -> "client_credentials");
        registry.add(registration + "scope", () -> "chat");
        registry.add(registration + "provider", () -> "test");
        registry.add("spring.security.oauth2.client.provider.test.token-uri", authorizationServer::tokenUri);
    }

    @AfterAll
    static void stopAuthorizationServer() {
        authorizationServer.close();
    }

    @Autowired
    DemoFlows demo;

    @Autowired
    OAuth2AuthorizedClientService authorizedClients;

    @Test
    void demoFlowsPassOverMutualTlsWithItsToken() throws InterruptedException {
        List<String> lines = new CopyOnWriteArrayList<>();
        demo.runAll(lines::add);
        assertThat(lines).isEqualTo(ArticleOutput.LINES);
    }

    @Test
    void aCertificateAloneMaySayHelloButNotChat() {
        assertThat(TlsTest.sayHello(TestPki.channel(PORT, pki.trusting(pki)))).isEqualTo("Hello, TLS!");
        ManagedChannel channel = TestPki.channel(PORT, pki.trusting(pki));
        try {
            StatusRuntimeException denied = catchThrowableOfType(StatusRuntimeException.class,
                    () -> ChatServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                            .serverStream(ChatMessage.newBuilder().setMessageText("start").build()).hasNext());
            assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * When renewal is due is read from the token the demo holds (its expiry, less the client-credentials provider's
     * clock skew), not assumed from the authorization server's settings; the test waits exactly until then.
     */
    @Test
    void theDemoRenewsItsTokenBeforeItExpires() throws InterruptedException {
        List<String> lines = new CopyOnWriteArrayList<>();
        demo.sayHello(lines::add);
        OAuth2AccessToken held = heldToken();
        int issued = authorizationServer.issued(CLIENT);
        Instant renewalDue = held.getExpiresAt().minus(PROVIDER_CLOCK_SKEW);
        assertThat(Instant.now()).as("a token of 65 s is fresh for 5 s").isBefore(renewalDue);

        demo.sayHello(lines::add);
        assertThat(authorizationServer.issued(CLIENT)).as("a fresh token is reused").isEqualTo(issued);

        Thread.sleep(Duration.between(Instant.now(), renewalDue).toMillis() + 1);
        demo.sayHello(lines::add);
        assertThat(Instant.now()).as("renewed before the held token expired").isBefore(held.getExpiresAt());
        assertThat(authorizationServer.issued(CLIENT)).as("renewed once renewal was due").isEqualTo(issued + 1);
        assertThat(heldToken().getTokenValue()).isNotEqualTo(held.getTokenValue());
        assertThat(lines).containsOnly("Hello, Hyeonghwan!").hasSize(3);
    }

    private OAuth2AccessToken heldToken() {
        OAuth2AuthorizedClient client = authorizedClients.loadAuthorizedClient("demo", DEMO_PRINCIPAL);
        assertThat(client).as("the demo's authorized client").isNotNull();
        return client.getAccessToken();
    }
}
