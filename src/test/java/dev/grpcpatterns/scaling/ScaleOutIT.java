package dev.grpcpatterns.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.demo.DemoFlows;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.support.AppProcess;
import dev.grpcpatterns.support.ReplicaMetrics;
import dev.grpcpatterns.support.StreamEvents;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Three replicas ({@code java -jar}, each on its own ports) behind one client channel configured as the demo
 * client is: this test's context is the application with its gRPC server and web server off, so
 * {@code @GrpcClient("demo")} is the real demo channel ({@code application.yml}, {@code DemoServiceConfig}) with a
 * multi-address {@code static://} target. The tests run in order on the same replicas: spread, SIGKILL one, SIGTERM
 * another. Each replica's share is read from its own metrics.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "grpc.server.port=-1",
        "demo.enabled=false",
        "demo.deadline=30s"
})
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Import(DemoFlows.class)
class ScaleOutIT {

    private static final Duration START = Duration.ofMinutes(6);
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The replicas' drain: long enough that the test's open streams are never cut by it. */
    private static final Duration GRACE = Duration.ofSeconds(60);

    private static final List<AppProcess> replicas = new ArrayList<>();

    @Autowired
    private DemoFlows demo;

    @GrpcClient("demo")
    private ChatServiceGrpc.ChatServiceStub chat;

    @DynamicPropertySource
    static void demoTarget(DynamicPropertyRegistry registry) throws InterruptedException {
        startReplicas();
        registry.add("grpc.client.demo.address", () -> replicas.stream()
                .map(replica -> "localhost:" + replica.grpcPort())
                .collect(Collectors.joining(",", "static://", "")));
    }

    /** The three JVMs start side by side; each takes seconds on a small machine, one after another would add up. */
    private static void startReplicas() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            replicas.add(AppProcess.start("--demo.enabled=false",
                    "--grpc.server.shutdown-grace-period=" + GRACE.toSeconds() + "s"));
        }
        for (AppProcess replica : replicas) {
            replica.awaitOutput("Started GrpcPatternsApplication", START);
        }
    }

    @AfterAll
    static void stopReplicas() {
        replicas.forEach(AppProcess::close);
    }

    @Test
    @Order(1)
    void spreadsUnaryCallsOverAllThreeReplicas() throws Exception {
        // Until each replica has answered once the channel may still be connecting to some of them.
        Instant end = Instant.now().plus(START);
        while (!replicas.stream().allMatch(replica -> ReplicaMetrics.sayHelloOk(replica) > 0)) {
            assertThat(Instant.now()).as("every replica answers a call through the channel").isBefore(end);
            callSayHello(30);
        }
        long[] before = replicas.stream().mapToLong(ReplicaMetrics::sayHelloOk).toArray();

        int calls = 300;
        callSayHello(calls);

        long[] shares = new long[replicas.size()];
        for (int i = 0; i < shares.length; i++) {
            shares[i] = ReplicaMetrics.sayHelloOk(replicas.get(i)) - before[i];
        }
        System.out.printf("SayHello calls per replica (each replica's own grpc.server.processing.duration): %s%n",
                Arrays.toString(shares));
        assertThat(Arrays.stream(shares).sum()).as("every call counted once, by one replica").isEqualTo(calls);
        // round_robin over three ready replicas gives each a third; half of that leaves room for a noisy machine.
        assertThat(Arrays.stream(shares).min().orElseThrow()).as("the smallest share").isGreaterThanOrEqualTo(calls / 6);
    }

    @Test
    @Order(2)
    void losesNoUnaryCallWhenAReplicaIsKilledMidRun() throws Exception {
        long[] chatsBefore = chatMessages();
        List<OpenChat> streams = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            streams.add(OpenChat.open(chat, "stream " + i));
        }
        long[] streamsPerReplica = minus(chatMessages(), chatsBefore);
        assertThat(Arrays.stream(streamsPerReplica).sum()).isEqualTo(6);
        int victimIndex = indexOfMax(streamsPerReplica);
        long victimStreams = streamsPerReplica[victimIndex];
        assertThat(victimStreams).as("streams on the replica to kill").isPositive();
        AppProcess victim = replicas.get(victimIndex);

        List<String> failures;
        try (UnaryLoad load = UnaryLoad.start(demo, 4)) {
            load.awaitMoreAnswers(50, WAIT);
            victim.kill(WAIT);

            // The streams on the dead replica end by themselves, each with a status.
            Instant end = Instant.now().plus(WAIT);
            while (streams.stream().filter(OpenChat::ended).count() < victimStreams) {
                assertThat(Instant.now()).as("streams on the killed replica end").isBefore(end);
                Thread.sleep(20);
            }
            load.awaitMoreAnswers(300, WAIT);
            load.close();
            failures = load.failures();
            System.out.printf("SIGKILL: %d SayHello calls answered around the kill, %d failed; %d of 6 streams cut%n",
                    load.answered(), failures.size(), victimStreams);
        }
        assertThat(failures).as("unary calls that failed although two replicas were left").isEmpty();

        List<OpenChat> cut = streams.stream().filter(OpenChat::ended).toList();
        assertThat(cut).hasSize((int) victimStreams);
        for (OpenChat stream : cut) {
            assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        }
        for (OpenChat stream : streams) {
            if (!cut.contains(stream)) {
                stream.exchange("still here");
                assertThat(stream.complete().getCode()).isEqualTo(Status.Code.OK);
            }
        }

        // New streams go to the two replicas left, and are served there.
        replicas.remove(victim);
        victim.close();
        long[] survivorsBefore = chatMessages();
        for (int i = 0; i < 4; i++) {
            OpenChat stream = OpenChat.open(chat, "new stream " + i);
            assertThat(stream.complete().getCode()).isEqualTo(Status.Code.OK);
        }
        assertThat(Arrays.stream(minus(chatMessages(), survivorsBefore)).sum()).isEqualTo(4);
    }

    @Test
    @Order(3)
    void drainsAReplicaStoppedWithSigtermWithoutFailingACall() throws Exception {
        assertThat(replicas).hasSize(2);
        AppProcess leaving = replicas.get(0);
        AppProcess staying = replicas.get(1);
        ManagedChannel direct = leaving.channel();
        try {
            StreamEvents<HealthCheckResponse> health = watchHealth(direct);
            assertThat(health.next(WAIT)).isEqualTo(watched(ServingStatus.SERVING));

            long leavingChatsBefore = ReplicaMetrics.chatMessagesReceived(leaving);
            List<OpenChat> streams = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                streams.add(OpenChat.open(chat, "stream " + i));
            }
            assertThat(ReplicaMetrics.chatMessagesReceived(leaving) - leavingChatsBefore)
                    .as("streams on the replica that gets SIGTERM").isPositive();
            long stayingBefore = ReplicaMetrics.sayHelloOk(staying);

            List<String> failures;
            try (UnaryLoad load = UnaryLoad.start(demo, 4)) {
                load.awaitMoreAnswers(50, WAIT);
                leaving.signalTerm();

                // First the replica says it is leaving, while it still serves what it has.
                assertThat(health.next(WAIT)).isEqualTo(watched(ServingStatus.NOT_SERVING));
                assertThat(leaving.isAlive()).isTrue();
                for (OpenChat stream : streams) {
                    stream.exchange("while draining");
                }
                load.awaitMoreAnswers(300, WAIT);
                assertThat(leaving.isAlive()).as("the drain waits for the open streams").isTrue();

                for (OpenChat stream : streams) {
                    assertThat(stream.complete().getCode()).isEqualTo(Status.Code.OK);
                }
                int exit = leaving.awaitExit(GRACE.plus(WAIT));
                assertThat(exit).as("a clean exit").isIn(0, 143);
                load.awaitMoreAnswers(50, WAIT);
                load.close();
                failures = load.failures();
                System.out.printf("SIGTERM: %d SayHello calls answered around the drain, %d failed; exit %d%n",
                        load.answered(), failures.size(), exit);
            }
            assertThat(failures).as("unary calls that failed while a replica drained").isEmpty();
            assertThat(ReplicaMetrics.sayHelloOk(staying) - stayingBefore).isPositive();
        } finally {
            direct.shutdownNow();
        }
    }

    /** The replica's own grpc.health.v1 status for the whole server, as a client watching it sees it. */
    private static StreamEvents<HealthCheckResponse> watchHealth(ManagedChannel channel) {
        StreamEvents<HealthCheckResponse> statuses = new StreamEvents<>();
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.newBuilder().setService("").build(), statuses);
        return statuses;
    }

    private static HealthCheckResponse watched(ServingStatus status) {
        return HealthCheckResponse.newBuilder().setStatus(status).build();
    }

    /** {@code calls} SayHello calls from four threads; every one must be answered. */
    private void callSayHello(int calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                answers.add(pool.submit(() -> demo.sayHello(text -> assertThat(text).isEqualTo("Hello, Hyeonghwan!"))));
            }
            for (Future<?> answer : answers) {
                answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long[] chatMessages() {
        long[] counts = new long[replicas.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = ReplicaMetrics.chatMessagesReceived(replicas.get(i));
        }
        return counts;
    }

    private static long[] minus(long[] after, long[] before) {
        long[] delta = new long[after.length];
        for (int i = 0; i < after.length; i++) {
            delta[i] = after[i] - before[i];
        }
        return delta;
    }

    private static int indexOfMax(long[] values) {
        int max = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[max]) {
                max = i;
            }
        }
        return max;
    }
}
