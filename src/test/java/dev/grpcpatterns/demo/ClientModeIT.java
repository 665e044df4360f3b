package dev.grpcpatterns.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.support.AppProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The jar's {@code client} profile: a client of any server, exiting 0 when all four flows succeed. */
class ClientModeIT {

    private static final Duration RUN = Duration.ofSeconds(240);

    @Test
    void exitsZeroWhenAllFourPatternsAnswer() throws Exception {
        try (AppProcess server = AppProcess.start("--demo.enabled=false", "--chat.server-stream.interval=0s")) {
            server.awaitOutput("Started GrpcPatternsApplication", RUN);
            try (AppProcess client = AppProcess.run("--spring.profiles.active=client",
                    "--grpc.client.demo.address=static://localhost:" + server.grpcPort(), "--demo.chat-pause=0s")) {
                assertThat(client.awaitExit(RUN)).as(client.output()).isZero();
                assertThat(client.output())
                        .contains("Hello, Hyeonghwan!", "msg1 msg2 msg3", "Received message: Received: Is it working good?")
                        .doesNotContain("Tomcat started", "gRPC Server started");
            }
        }
    }

    @Test
    void exitsNonZeroWhenTheServerIsUnreachable() throws Exception {
        // SayHello is retried on UNAVAILABLE (demo.retry.*): the deadline must outlast a cold JVM's first connection
        // attempt plus the retries' pauses, or the call ends DEADLINE_EXCEEDED instead. A refused port fails fast.
        try (AppProcess client = AppProcess.run("--spring.profiles.active=client",
                "--grpc.client.demo.address=static://localhost:" + AppProcess.freePort(), "--demo.deadline=30s")) {
            assertThat(client.awaitExit(RUN)).as(client.output()).isEqualTo(1);
            assertThat(client.output()).contains("Demo failed: Status{code=UNAVAILABLE");
        }
    }
}
