package dev.grpcpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcpatterns.demo.DemoClient;
import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.support.AppProcess;
import dev.grpcpatterns.support.ArticleOutput;
import dev.grpcpatterns.support.AuthorizationServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
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
class DemoTokenIT {

    private static final int PORT = AppProcess.freePort();
    private static final String CLIENT = "short-lived-client";

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
    DemoClient demo;

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

    @Test
    void theDemoRenewsItsTokenBeforeItExpires() throws InterruptedException {
        List<String> lines = new CopyOnWriteArrayList<>();
        demo.sayHello(lines::add);
        int issued = authorizationServer.issued(CLIENT);
        demo.sayHello(lines::add);
        assertThat(authorizationServer.issued(CLIENT)).as("a fresh token is reused").isEqualTo(issued);
        // 65 s tokens are within the client's 60 s clock skew of their expiry after 5 s: the next call renews.
        Thread.sleep(6_000);
        demo.sayHello(lines::add);
        assertThat(authorizationServer.issued(CLIENT)).as("renewed before it expired").isEqualTo(issued + 1);
        assertThat(lines).containsOnly("Hello, Hyeonghwan!").hasSize(3);
    }
}
