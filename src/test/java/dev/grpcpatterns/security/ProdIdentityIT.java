package dev.grpcpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.AppProcess;
import dev.grpcpatterns.support.AuthorizationServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar in {@code prod}: it refuses to start while callers need no identity, or take JWTs of any audience,
 * saying so in one failure report that names the keys (no stack trace); with the real authorization server's issuer
 * and audience set by environment, as deploy/k8s does, it says in one line who may call, its probes (gRPC health, HTTP
 * readiness) need no token, a call without one is UNAUTHENTICATED, and so is a token the same issuer minted for
 * another audience (RFC 8725).
 */
class ProdIdentityIT {

    private static final Duration RUN = Duration.ofSeconds(180);

    @Test
    void prodWithoutAnIdentityRefusesToStartNamingTheKeys() throws InterruptedException {
        try (AppProcess app = AppProcess.start("--spring.profiles.active=prod")) {
            assertThat(app.awaitExit(RUN)).as(app.output()).isNotZero();
            assertOneFailureReport(app.output(), "The prod profile needs callers with an identity",
                    "spring.security.oauth2.resourceserver.jwt.issuer-uri",
                    "spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "identity.open-on-purpose=true");
        }
    }

    @Test
    void prodWithJwtsOfAnyAudienceRefusesToStartNamingTheKey() throws InterruptedException {
        Map<String, String> environment = Map.of(
                "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI", "http://127.0.0.1:9/nobody");
        try (AppProcess app = AppProcess.start(environment, "--spring.profiles.active=prod")) {
            assertThat(app.awaitExit(RUN)).as(app.output()).isNotZero();
            assertOneFailureReport(app.output(), "without an audience", "RFC 8725",
                    "spring.security.oauth2.resourceserver.jwt.audiences");
        }
    }

    @Test
    void prodWithAnIssuerAndAudienceServesProbesAndRefusesCallsWithoutTheRightToken() throws Exception {
        try (AuthorizationServer authorizationServer = AuthorizationServer.start()) {
            Map<String, String> environment = Map.of(
                    "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI", authorizationServer.issuer(),
                    "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES", AuthorizationServer.AUDIENCE);
            try (AppProcess app = AppProcess.start(environment, "--spring.profiles.active=prod")) {
                app.awaitOutput("Started GrpcPatternsApplication", RUN);
                assertThat(app.output()).doesNotContain("Using generated security password")
                        .contains("gRPC callers need an identity: JWT bearer tokens for [grpc-patterns]");
                HttpResponse<String> readiness = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + app.httpPort() + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(readiness.statusCode()).isEqualTo(200);
                ManagedChannel channel = app.channel();
                try {
                    assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance()).getStatus())
                            .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
                    assertThat(sayHello(channel, null).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    String forAnotherAudience = authorizationServer.token("stranger-client", "chat");
                    assertThat(sayHello(channel, forAnotherAudience).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(sayHello(channel, authorizationServer.token("chat-client", "chat")).getCode())
                            .isEqualTo(Status.Code.OK);
                } finally {
                    channel.shutdownNow();
                }
            }
        }
    }

    /** SayHello's status, with {@code token} as its bearer token unless it is null. */
    private static Status sayHello(ManagedChannel channel, String token) {
        GreeterGrpc.GreeterBlockingStub greeter = GreeterGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        if (token != null) {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("Authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            greeter = greeter.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        try {
            greeter.sayHello(HelloRequest.newBuilder().setName("prod").build());
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    /** Spring Boot's failure report, once, with {@code texts}, in prod's one-JSON-object-per-line log; no trace. */
    private static void assertOneFailureReport(String output, String... texts) {
        assertThat(output.lines().filter(line -> line.contains("APPLICATION FAILED TO START"))).singleElement()
                .satisfies(line -> assertThat(line).startsWith("{").contains(texts));
        // A trace printed as text has lines "\tat ..."; one inside a JSON line has them escaped, "\\tat ...".
        assertThat(output).as("no stack trace").doesNotContain("\tat ").doesNotContain("\\tat ");
    }
}
