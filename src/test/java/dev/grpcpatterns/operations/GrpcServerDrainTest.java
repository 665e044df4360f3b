package dev.grpcpatterns.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.support.StreamEvents;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.server.config.GrpcServerProperties;
import net.devh.boot.grpc.server.event.GrpcServerShutdownEvent;
import net.devh.boot.grpc.server.serverfactory.GrpcServerLifecycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The drain's texts as clients and operators meet them, pinned here as literals (a fast test, always run; the
 * SIGTERM path of the packaged jar is GracefulShutdownIT): the status and description open calls end with, read
 * off a real Netty port, and the three log lines. Changing any of them is a change for every client that retries on
 * it and every alert or script that greps for it.
 */
@ExtendWith(OutputCaptureExtension.class)
class GrpcServerDrainTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofMillis(300);

    private final OpenCalls openCalls = new OpenCalls();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        // A ServerStream that never ends by itself, and the standard health service, whose Watch never does either.
        ChatServiceGrpc.ChatServiceImplBase endless = new ChatServiceGrpc.ChatServiceImplBase() {
            @Override
            public void serverStream(ChatMessage request, StreamObserver<ChatMessage> responses) {
                responses.onNext(request);
            }
        };
        server = NettyServerBuilder.forPort(0)
                .addService(ServerInterceptors.intercept(endless, openCalls))
                .addService(ServerInterceptors.intercept(new HealthStatusManager().getHealthService(), openCalls))
                .build().start();
        channel = NettyChannelBuilder.forAddress("localhost", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void openCallsEndUnavailableServerIsShuttingDownTheWatchAtOnceTheRestAfterTheGrace(CapturedOutput output)
            throws Exception {
        StreamEvents<HealthCheckResponse> watch = new StreamEvents<>();
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(), watch);
        assertThat(watch.next(WAIT)).isInstanceOf(HealthCheckResponse.class);
        StreamEvents<ChatMessage> stream = new StreamEvents<>();
        ChatServiceGrpc.newStub(channel).serverStream(ChatMessage.newBuilder().setMessageText("go").build(), stream);
        assertThat(stream.next(WAIT)).isInstanceOf(ChatMessage.class);

        drain();

        for (StreamEvents<?> call : List.of(watch, stream)) {
            Status ended = (Status) call.next(WAIT);
            assertThat(ended.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(ended.getDescription()).isEqualTo("server is shutting down");
        }
        // one call left at the grace period's end: the Watch was ended before it began
        assertThat(output.getOut())
                .contains("gRPC server refuses new calls; waiting up to PT0.3S for the calls in flight")
                .contains("gRPC grace period over: ended 1 open call(s) with UNAVAILABLE")
                .doesNotContain("gRPC server drained");
    }

    @Test
    void withNothingOpenTheDrainSaysSo(CapturedOutput output) throws Exception {
        drain();

        assertThat(output.getOut()).contains("gRPC server drained: every call finished")
                .doesNotContain("grace period over");
    }

    private void drain() throws InterruptedException {
        GrpcServerProperties properties = new GrpcServerProperties();
        properties.setShutdownGracePeriod(GRACE);
        new GrpcServerDrain(openCalls, properties)
                .drain(new GrpcServerShutdownEvent(mock(GrpcServerLifecycle.class), server));
    }
}
