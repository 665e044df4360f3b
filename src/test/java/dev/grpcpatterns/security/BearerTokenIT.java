package dev.grpcpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.AppProcess;
import dev.grpcpatterns.support.AuthorizationServer;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * JWT bearer tokens on the real gRPC port (Netty, plaintext), issued by a real Spring Authorization Server in its
 * own process and checked by Boot's resource-server decoder: the rules per method, every kind of bad credential
 * answered UNAUTHENTICATED with the same short description, a missing scope PERMISSION_DENIED, no token in the log
 * (at DEBUG, the most a log ever shows), and a rotated signing key picked up without a restart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"demo.enabled=false", "chat.server-stream.interval=0s",
                "logging.level.dev.grpcpatterns=DEBUG", "logging.level.net.devh.boot.grpc.server.security=DEBUG",
                "logging.level.org.springframework.security=DEBUG", "logging.level.com.nimbusds=DEBUG"})
@ExtendWith(OutputCaptureExtension.class)
@Import(ExposureProbe.class)
class BearerTokenIT {

    private static final int PORT = AppProcess.freePort();
    static AuthorizationServer authorizationServer;

    /** Every token a test sent: none of them may show up in the log. */
    private static final List<String> SENT = new ArrayList<>();

    @Autowired
    ExposureProbe probe;

    private ManagedChannel channel;

    @DynamicPropertySource
    static void jwt(DynamicPropertyRegistry registry) {
        authorizationServer = AuthorizationServer.start();
        registry.add("grpc.server.port", () -> PORT);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", authorizationServer::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> AuthorizationServer.AUDIENCE);
    }

    @AfterAll
    static void stopAuthorizationServer() {
        authorizationServer.close();
    }

    @BeforeEach
    void connect() {
        channel = TestPki.plaintextChannel(PORT);
    }

    @AfterEach
    void noTokenWasLogged(CapturedOutput output) {
        channel.shutdownNow();
        assertThat(output.getAll().lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")))
                .as("a caller's bad credentials are logged at DEBUG only")
                .noneMatch(line -> line.matches("(?i).*(token|jwt|authenticat|credential).*"));
        // Long enough to be unlikely by chance ("a.b.c"'s "c" is in any log).
        for (String token : SENT) {
            assertThat(output.getAll()).as("the log shows a token").doesNotContain(token);
            String[] parts = token.split("\\.");
            if (parts.length == 3 && parts[2].length() >= 16) {
                assertThat(output.getAll()).as("the log shows a token's signature").doesNotContain(parts[2]);
            }
        }
    }

    @Test
    void chatScopeMayCallEveryMethod() {
        String token = authorizationServer.token("chat-client", "chat");
        assertThat(sayHello(token)).isEqualTo("Hello, JWT!");
        assertThat(serverStream(token)).hasSize(3);
    }

    @Test
    void tokenWithoutChatScopeMaySayHelloButNotChat() {
        String token = authorizationServer.token("greeter-client");
        assertThat(sayHello(token)).isEqualTo("Hello, JWT!");
        StatusRuntimeException denied = catchThrowableOfType(StatusRuntimeException.class, () -> serverStream(token));
        assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(denied.getStatus().getDescription()).isEqualTo("Access denied");
    }

    @Test
    void healthAndReflectionNeedNoToken() throws InterruptedException, StatusException {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(probe.reflectedServices()).contains(GreeterGrpc.SERVICE_NAME, ChatServiceGrpc.SERVICE_NAME);
        assertThat(probe.get("/actuator/health").statusCode()).as("HTTP probes need no login").isEqualTo(200);
    }

    @Test
    void noTokenIsUnauthenticated() {
        assertUnauthenticated(() -> GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName("JWT").build()));
        assertUnauthenticated(() -> ChatServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .serverStream(ChatMessage.newBuilder().setMessageText("start").build()).hasNext());
    }

    static List<Arguments> badCredentials() {
        return List.of(
                Arguments.of("malformed", (Function<AuthorizationServer, String>) server -> "not-a-jwt"),
                Arguments.of("three garbage parts", (Function<AuthorizationServer, String>) server -> "a.b.c"),
                Arguments.of("bad signature", (Function<AuthorizationServer, String>) server -> tampered(server.token("chat-client", "chat"))),
                Arguments.of("alg none", (Function<AuthorizationServer, String>) server ->
                        new PlainJWT(validClaims(server, Map.of())).serialize()),
                Arguments.of("HMAC signed with the public key", (Function<AuthorizationServer, String>) BearerTokenIT::hmacWithPublicKey),
                Arguments.of("expired", (Function<AuthorizationServer, String>) server -> server.mint(claims(server,
                        Map.of("iat", Instant.now().minus(Duration.ofMinutes(20)).getEpochSecond(),
                                "exp", Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond())))),
                Arguments.of("not yet valid", (Function<AuthorizationServer, String>) server -> server.mint(claims(server,
                        Map.of("nbf", Instant.now().plus(Duration.ofMinutes(10)).getEpochSecond())))),
                Arguments.of("wrong issuer", (Function<AuthorizationServer, String>) server ->
                        server.tokenAt("127.0.0.1", "chat-client", "chat")),
                Arguments.of("wrong audience", (Function<AuthorizationServer, String>) server -> server.token("stranger-client", "chat")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCredentials")
    void badCredentialIsUnauthenticatedAndTheServerGoesOn(String kind, Function<AuthorizationServer, String> token,
            CapturedOutput output) {
        String bad = token.apply(authorizationServer);
        int logged = output.getAll().length();
        assertUnauthenticated(() -> sayHello(bad));
        assertUnauthenticated(() -> serverStream(bad));
        assertThat(output.getAll().substring(logged)).as("the reason, at DEBUG")
                .containsPattern("DEBUG .*(Authentication request failed|Failed to authenticate)");
        assertThat(sayHello(authorizationServer.token("chat-client", "chat"))).isEqualTo("Hello, JWT!");
    }

    @Test
    void aRotatedSigningKeyIsPickedUpWithoutARestart() throws InterruptedException {
        String before = authorizationServer.token("chat-client", "chat");
        assertThat(sayHello(before)).isEqualTo("Hello, JWT!");
        String newKeyId = authorizationServer.rotateKey();
        String after = authorizationServer.token("chat-client", "chat");
        assertThat(keyId(after)).isEqualTo(newKeyId);
        // The service fetches the JWK set again when a token names a key it does not know (Nimbus limits how
        // often), so allow it time on a loaded machine.
        Instant end = Instant.now().plus(Duration.ofSeconds(90));
        String answer = null;
        while (answer == null) {
            try {
                answer = sayHello(after);
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(Instant.now()).as("the new key was not picked up").isBefore(end);
                Thread.sleep(1000);
            }
        }
        assertThat(answer).isEqualTo("Hello, JWT!");
        assertThat(sayHello(before)).as("a token of the former key, still published").isEqualTo("Hello, JWT!");
    }

    private String sayHello(String token) {
        return GreeterGrpc.newBlockingStub(withToken(token)).withDeadlineAfter(30, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName("JWT").build()).getResponseText();
    }

    private List<String> serverStream(String token) {
        List<String> replies = new ArrayList<>();
        ChatServiceGrpc.newBlockingStub(withToken(token)).withDeadlineAfter(30, TimeUnit.SECONDS)
                .serverStream(ChatMessage.newBuilder().setMessageText("start").build())
                .forEachRemaining(reply -> replies.add(reply.getMessageText()));
        return replies;
    }

    private Channel withToken(String token) {
        SENT.add(token);
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** UNAUTHENTICATED with net.devh's short, generic description: nothing about why, no stack trace. */
    private static void assertUnauthenticated(Runnable call) {
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(refused).as("the call must fail").isNotNull();
        assertThat(refused.getStatus().getCode()).as(refused.getStatus().toString())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refused.getStatus().getDescription()).isEqualTo("Authentication failed");
    }

    private static Map<String, Object> claims(AuthorizationServer server, Map<String, Object> overrides) {
        Map<String, Object> claims = new HashMap<>(Map.of(
                "iss", server.issuer(), "aud", List.of(AuthorizationServer.AUDIENCE), "sub", "minted",
                "scope", "chat", "iat", Instant.now().getEpochSecond(),
                "exp", Instant.now().plus(Duration.ofMinutes(5)).getEpochSecond()));
        claims.putAll(overrides);
        return claims;
    }

    private static JWTClaimsSet validClaims(AuthorizationServer server, Map<String, Object> overrides) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
        claims(server, overrides).forEach((name, value) -> builder.claim(name,
                value instanceof Long seconds ? new Date(seconds * 1000) : value));
        return builder.build();
    }

    /** The classic key-confusion attack: HS256 with the server's RSA public key as the shared secret. */
    private static String hmacWithPublicKey(AuthorizationServer server) {
        try {
            RSAKey key = (RSAKey) JWKSet.parse(server.jwkSet()).getKeys().get(0);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(),
                    validClaims(server, Map.of()));
            jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
            return jwt.serialize();
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token with its signature's last characters changed. */
    private static String tampered(String token) {
        int end = token.length() - 4;
        String tail = token.substring(end);
        return token.substring(0, end) + (tail.equals("AAAA") ? "BBBB" : "AAAA");
    }

    private static String keyId(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
