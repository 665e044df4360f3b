package dev.grpcpatterns.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.proto.v1.HelloResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The demo channel's service config on grpc-java's own retry and health-checking machinery (a real port, no Spring):
 * SayHello is retried on UNAVAILABLE, streams are not, other channels are left alone, and a replica whose health
 * says NOT_SERVING gets no call at all.
 */
class DemoServiceConfigTest {

    private static final DemoProperties.Retry RETRY =
            new DemoProperties.Retry(4, Duration.ofMillis(1), Duration.ofMillis(10), 2);

    private final AtomicInteger sayHelloAttempts = new AtomicInteger();
    private final AtomicInteger serverStreamAttempts = new AtomicInteger();
    private final HealthStatusManager health = new HealthStatusManager();
    private Server server;
    private ManagedChannel channel;

    /** Fails the first {@code failures} attempts of each method with UNAVAILABLE, then answers. */
    private void start(int failures) throws Exception {
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new GreeterGrpc.GreeterImplBase() {
                    @Override
                    public void sayHello(HelloRequest request, StreamObserver<HelloResponse> response) {
                        if (sayHelloAttempts.incrementAndGet() <= failures) {
                            response.onError(Status.UNAVAILABLE.withDescription("replica gone").asRuntimeException());
                            return;
                        }
                        response.onNext(HelloResponse.newBuilder().setResponseText("hello").build());
                        response.onCompleted();
                    }
                })
                .addService(new ChatServiceGrpc.ChatServiceImplBase() {
                    @Override
                    public void serverStream(ChatMessage request, StreamObserver<ChatMessage> response) {
                        serverStreamAttempts.incrementAndGet();
                        response.onError(Status.UNAVAILABLE.withDescription("replica gone").asRuntimeException());
                    }
                })
                .addService(health.getHealthService())
                .build()
                .start();
    }

    private GreeterGrpc.GreeterBlockingStub greeter(String channelName) {
        return greeter(channelName, true);
    }

    private GreeterGrpc.GreeterBlockingStub greeter(String channelName, boolean healthCheck) {
        ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(
                        "dns:///127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create())
                .defaultLoadBalancingPolicy("round_robin"); // net.devh's grpc.client.demo.default-load-balancing-policy
        DemoProperties demo = new DemoProperties(true, false, "n", "start", List.of("msg1"), List.of("hi"), Duration.ZERO,
                Duration.ofSeconds(1), RETRY, new DemoProperties.HealthCheck(healthCheck));
        new DemoServiceConfig(demo).accept(builder, channelName);
        channel = builder.build();
        return GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        server.shutdownNow();
    }

    @Test
    void retriesSayHelloOnUnavailable() throws Exception {
        start(RETRY.maxAttempts() - 1);

        assertThat(greeter("demo").sayHello(HelloRequest.getDefaultInstance()).getResponseText()).isEqualTo("hello");
        assertThat(sayHelloAttempts).hasValue(RETRY.maxAttempts());
    }

    @Test
    void givesUpAfterMaxAttempts() throws Exception {
        start(Integer.MAX_VALUE);

        assertThatThrownBy(() -> greeter("demo").sayHello(HelloRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(sayHelloAttempts).hasValue(RETRY.maxAttempts());
    }

    @Test
    void neverRetriesAStream() throws Exception {
        start(0);
        greeter("demo");

        assertThatThrownBy(() -> ChatServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .serverStream(ChatMessage.getDefaultInstance()).hasNext())
                .isInstanceOf(StatusRuntimeException.class);
        assertThat(serverStreamAttempts).hasValue(1);
    }

    @Test
    void leavesOtherChannelsAlone() throws Exception {
        start(1);

        assertThatThrownBy(() -> greeter("other").sayHello(HelloRequest.getDefaultInstance()))
                .isInstanceOf(StatusRuntimeException.class);
        assertThat(sayHelloAttempts).hasValue(1);
    }

    @Test
    void sendsNoCallToAReplicaThatIsNotServing() throws Exception {
        start(0);
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);

        assertThatThrownBy(() -> greeter("demo").sayHello(HelloRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(sayHelloAttempts).hasValue(0);

        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        GreeterGrpc.GreeterBlockingStub greeter = GreeterGrpc.newBlockingStub(channel)
                .withWaitForReady().withDeadlineAfter(10, TimeUnit.SECONDS);
        assertThat(greeter.sayHello(HelloRequest.getDefaultInstance()).getResponseText()).isEqualTo("hello");
    }

    @Test
    void withoutHealthCheckingCallsAnAddressWhateverItsHealthSays() throws Exception {
        start(0);
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);

        assertThat(greeter("demo", false).sayHello(HelloRequest.getDefaultInstance()).getResponseText())
                .isEqualTo("hello");
    }
}
