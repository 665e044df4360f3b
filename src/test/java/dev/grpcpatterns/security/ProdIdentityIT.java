package dev.grpcpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.AppProcess;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar in {@code prod}: it refuses to start while callers need no identity, naming the keys; with an
 * issuer set by environment, as deploy/k8s does, it starts without reaching the issuer, its probes (gRPC health,
 * HTTP readiness) need no token, and a call without one is UNAUTHENTICATED.
 */
class ProdIdentityIT {

    private static final Duration RUN = Duration.ofSeconds(180);

    @Test
    void prodWithoutAnIdentityRefusesToStartNamingTheKeys() throws InterruptedException {
        try (AppProcess app = AppProcess.start("--spring.profiles.active=prod")) {
            assertThat(app.awaitExit(RUN)).as(app.output()).isNotZero();
            assertThat(app.output()).contains("The prod profile needs callers with an identity",
                    "spring.security.oauth2.resourceserver.jwt.issuer-uri",
                    "spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "identity.open-on-purpose=true");
        }
    }

    @Test
    void prodWithAnIssuerServesProbesAndRefusesCallsWithoutAToken() throws Exception {
        // An issuer nobody answers at: the service only needs it for the first token.
        Map<String, String> environment = Map.of(
                "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI", "http://127.0.0.1:9/nobody",
                "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES", "grpc-patterns");
        try (AppProcess app = AppProcess.start(environment, "--spring.profiles.active=prod")) {
            app.awaitOutput("Started GrpcPatternsApplication", RUN);
            assertThat(app.output()).doesNotContain("Using generated security password");
            HttpResponse<String> readiness = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + app.httpPort() + "/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(readiness.statusCode()).isEqualTo(200);
            ManagedChannel channel = app.channel();
            try {
                assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()).getStatus())
                        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
                StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                        () -> GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                                .sayHello(HelloRequest.newBuilder().setName("prod").build()));
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
