package dev.grpcpatterns.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import net.devh.boot.grpc.client.inject.GrpcClient;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;

/**
 * Health as a platform sees it while the service starts, over the real gRPC port and real HTTP: an application runner
 * (which Spring calls after the servers listen and before the application is ready) probes both. The demo channel
 * points at a dead target, as a remote demo target that is down would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "grpc.server.port=0",
        "demo.enabled=false",
        "grpc.client.demo.address=static://127.0.0.1:1"
})
@Import(StartupHealthTest.BeforeReady.class)
class StartupHealthTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    private BeforeReady beforeReady;

    @Autowired
    private TestRestTemplate http;

    @Autowired
    private GrpcChannelFactory channels;

    @GrpcClient("demo")
    private GreeterGrpc.GreeterBlockingStub deadDemoTarget;

    @Test
    void notServingUntilReadyThenServing() throws Exception {
        assertThat(beforeReady.check).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(beforeReady.livenessCheck).isEqualTo(ServingStatus.SERVING);
        assertThat(beforeReady.readinessHttp).isEqualTo(503);
        assertThat(beforeReady.livenessHttp).isEqualTo(200);

        assertThat(beforeReady.watch.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(beforeReady.watch.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);
        assertThat(http.getForEntity("/actuator/health/readiness", String.class).getStatusCode())
                .isEqualTo(HttpStatus.OK);
    }

    @Test
    void aDeadDemoTargetLeavesTheServiceHealthy() throws Exception {
        assertThatThrownBy(() -> deadDemoTarget.withDeadlineAfter(10, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName("nobody").build()))
                .isInstanceOf(StatusRuntimeException.class);
        // What net.devh's grpcChannel indicator reads, and would report as OUT_OF_SERVICE.
        Instant end = Instant.now().plus(TIMEOUT);
        while (channels.getConnectivityState().get("demo") != ConnectivityState.TRANSIENT_FAILURE) {
            assertThat(Instant.now()).as("demo channel in TRANSIENT_FAILURE").isBefore(end);
            Thread.sleep(50);
        }

        for (String path : new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
            var response = http.getForEntity(path, String.class);
            assertThat(response.getStatusCode()).as(path + ": " + response.getBody()).isEqualTo(HttpStatus.OK);
            assertThat(response.getBody()).startsWith("{\"status\":\"UP\"");
        }
    }

    /** Probes the service the moment the servers listen, before Spring declares it ready. */
    @TestConfiguration(proxyBeanMethods = false)
    static class BeforeReady implements ApplicationRunner, DisposableBean {

        private final Environment environment;
        private final HttpClient httpClient = HttpClient.newHttpClient();
        private final BlockingQueue<ServingStatus> watch = new LinkedBlockingQueue<>();
        private ManagedChannel channel;
        private ServingStatus check;
        private ServingStatus livenessCheck;
        private int readinessHttp;
        private int livenessHttp;

        BeforeReady(Environment environment) {
            this.environment = environment;
        }

        @EventListener
        void grpcStarted(GrpcServerStartedEvent event) {
            channel = ManagedChannelBuilder.forAddress("localhost", event.getPort()).usePlaintext().build();
        }

        @Override
        public void run(ApplicationArguments args) throws Exception {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            check = health.check(HealthCheckRequest.getDefaultInstance()).getStatus();
            livenessCheck = health.check(HealthCheckRequest.newBuilder().setService(GrpcHealthBridge.LIVENESS).build())
                    .getStatus();
            HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
                @Override
                public void onNext(HealthCheckResponse response) {
                    watch.add(response.getStatus());
                }

                @Override
                public void onError(Throwable endsWithTheContext) {
                }

                @Override
                public void onCompleted() {
                }
            });
            readinessHttp = httpStatus("/actuator/health/readiness");
            livenessHttp = httpStatus("/actuator/health/liveness");
        }

        private int httpStatus(String path) throws Exception {
            return httpClient.send(HttpRequest.newBuilder(URI.create("http://localhost:" + environment.getProperty("local.server.port") + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        @Override
        public void destroy() {
            if (channel != null) {
                channel.shutdownNow();
            }
        }
    }
}
