package dev.grpcpatterns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.AppProcess;
import dev.grpcpatterns.support.ArticleOutput;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packaged jar as users run it: {@code java -jar}, the demo against itself, a call, health, SIGTERM. */
class GrpcPatternsApplicationIT {

    /** Words that make a newcomer think something is broken. */
    private static final Pattern LOOKS_LIKE_A_FAILURE = Pattern.compile("fail|error|exception|warn",
            Pattern.CASE_INSENSITIVE);

    @Test
    void theDefaultStartPrintsNoLineThatLooksLikeAFailure() throws Exception {
        // Nothing but free ports: the start a newcomer makes, the demo with its article pauses, then SIGTERM.
        try (AppProcess app = AppProcess.start()) {
            app.awaitOutput("Demo finished: all four patterns answered", Duration.ofSeconds(240));
            assertThat(app.terminate(Duration.ofSeconds(60))).isIn(0, 143);
            List<String> alarming = app.output().lines().filter(line -> LOOKS_LIKE_A_FAILURE.matcher(line).find())
                    .toList();
            assertThat(alarming).as("lines of the default start that look like a failure").isEmpty();
            assertThat(app.output()).containsSubsequence(ArticleOutput.LINES);
        }
    }

    @Test
    void servesRunsTheDemoAndStopsOnSigterm() throws Exception {
        try (AppProcess app = AppProcess.start("--demo.chat-pause=0s", "--chat.server-stream.interval=100ms")) {
            app.awaitOutput("Demo finished: all four patterns answered", Duration.ofSeconds(240));
            assertThat(app.output()).containsSubsequence(ArticleOutput.LINES);

            ManagedChannel channel = app.channel();
            try {
                assertThat(GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .sayHello(HelloRequest.newBuilder().setName("process").build()).getResponseText())
                        .isEqualTo("Hello, process!");
            } finally {
                channel.shutdownNow();
            }

            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + app.httpPort() + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");

            // 143 is the JVM's usual status after SIGTERM; both it and 0 are a clean stop.
            assertThat(app.terminate(Duration.ofSeconds(60))).isIn(0, 143);
        }
    }

    @Test
    void selfTestExitsZeroOnceAllFourPatternsAnswered() throws Exception {
        try (AppProcess app = AppProcess.start("--demo.exit-when-done=true", "--demo.chat-pause=0s",
                "--chat.server-stream.interval=0s")) {
            assertThat(app.awaitExit(Duration.ofSeconds(240))).as(app.output()).isZero();
            assertThat(app.output()).containsSubsequence(ArticleOutput.LINES)
                    .contains("Demo finished: all four patterns answered", "Completed gRPC server shutdown")
                    .doesNotContain("still running after timeout");   // nothing waits out a shutdown phase
        }
    }

    @Test
    void selfTestExitsOneWhenAFlowFails() throws Exception {
        // The demo aims at a closed port instead of the service itself, so SayHello ends UNAVAILABLE.
        try (AppProcess app = AppProcess.start("--demo.exit-when-done=true",
                "--grpc.client.demo.address=static://localhost:" + AppProcess.freePort())) {
            assertThat(app.awaitExit(Duration.ofSeconds(240))).as(app.output()).isEqualTo(1);
            assertThat(app.output()).contains("Demo failed: Status{code=UNAVAILABLE", "Completed gRPC server shutdown");
        }
    }
}
