package dev.grpcpatterns.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.demo.DemoFlows;
import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.support.AppProcess;
import dev.grpcpatterns.support.Prerequisites;
import dev.grpcpatterns.support.ReplicaMetrics;
import dev.grpcpatterns.support.StreamEvents;
import dev.grpcpatterns.support.TestNetwork;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Debian's nginx with the shipped {@code deploy/nginx/grpc-patterns.conf} in front of three replicas, each on its
 * own test host ({@link TestNetwork}): nginx on a host of its own, reached by this test (the root namespace) at
 * port 50051, and linked to each replica's host; each replica also has a link to the test for its actuator. The
 * client is the demo channel ({@code @GrpcClient("demo")}, so its retry of UNAVAILABLE too) with nginx as its one
 * address. In order: spread, long quiet streams, a rolling restart, a SIGKILL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "grpc.server.port=-1",
        "demo.enabled=false",
        "demo.deadline=30s",
        // behind the proxy, a health watch would reach one replica and stand for all of them
        "demo.health-check.enabled=false"
})
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "networkAvailable", disabledReason = "needs root, iproute2, iptables and nginx (see TestNetwork); fails instead under CI")
@Import(DemoFlows.class)
class NginxProxyIT {

    private static final Duration START = Duration.ofMinutes(5);
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Longer than nginx's 60 s defaults (grpc_read_timeout, grpc_send_timeout, client_body_timeout). */
    private static final Duration QUIET = Duration.ofSeconds(65);
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final String[] REPLICA_ARGS = {
            "--demo.enabled=false",
            "--grpc.server.shutdown-grace-period=" + GRACE.toSeconds() + "s",
            // ServerStream paced slower than nginx's default timeouts: two replies, 65 s apart
            "--chat.server-stream.messages=first,second",
            "--chat.server-stream.interval=" + QUIET.toSeconds() + "s"};

    private static TestNetwork network;
    private static NginxProxy nginx;
    private static TestNetwork.Link clientLink;
    private static final List<TestNetwork.Host> hosts = new ArrayList<>();
    private static final List<String> managementAddresses = new ArrayList<>();
    private static final List<String> upstreams = new ArrayList<>();
    private static final AppProcess[] replicas = new AppProcess[3];

    /** Opened by the first test, checked by the second once they have been quiet for longer than nginx's defaults. */
    private static OpenChat quietChat;
    private static StreamEvents<ChatMessage> pacedStream;
    private static Instant quietSince;

    @Autowired
    private DemoFlows demo;

    @GrpcClient("demo")
    private ChatServiceGrpc.ChatServiceStub chat;

    static boolean networkAvailable() {
        String missing = TestNetwork.unavailableBecause();
        return Prerequisites.met("NginxProxyIT", missing != null ? missing : NginxProxy.unavailableBecause());
    }

    @DynamicPropertySource
    static void startProxyAndReplicas(DynamicPropertyRegistry registry) throws InterruptedException {
        network = TestNetwork.create();
        try {
            TestNetwork.Host proxy = network.host("proxy");
            clientLink = network.link(null, proxy, "pc", 200);
            for (int i = 0; i < replicas.length; i++) {
                TestNetwork.Host host = network.host("r" + (i + 1));
                TestNetwork.Link data = network.link(proxy, host, "d" + (i + 1), 201 + i);
                TestNetwork.Link management = network.link(null, host, "m" + (i + 1), 211 + i);
                hosts.add(host);
                managementAddresses.add(management.addressB());
                upstreams.add(data.addressB() + ":50051");
            }
            for (int i = 0; i < replicas.length; i++) {
                replicas[i] = startReplica(i);
            }
            for (AppProcess replica : replicas) {
                replica.awaitOutput("Started GrpcPatternsApplication", START);
            }
            nginx = NginxProxy.start(proxy, upstreams);
        } catch (AssertionError | RuntimeException e) {
            stop();
            throw e;
        }
        registry.add("grpc.client.demo.address", () -> "static://" + clientLink.addressB() + ":50051");
    }

    private static AppProcess startReplica(int index) {
        return AppProcess.startOn(hosts.get(index), managementAddresses.get(index), 50051, 8080, REPLICA_ARGS);
    }

    @AfterAll
    static void stop() {
        if (nginx != null) {
            System.out.println("nginx error log:\n" + nginx.errorLog().lines()
                    .filter(line -> !line.contains("[notice]")).limit(40).reduce("", (a, b) -> a + b + "\n"));
            nginx.close();
        }
        for (AppProcess replica : replicas) {
            if (replica != null) {
                replica.close();
            }
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    @Order(1)
    void spreadsCallsOverTheReplicas() throws Exception {
        quietChat = OpenChat.open(chat, "before the quiet");
        pacedStream = new StreamEvents<>();
        chat.withDeadlineAfter(5, TimeUnit.MINUTES).serverStream(
                ChatMessage.newBuilder().setMessageText("start").build(), pacedStream);
        assertThat(pacedStream.next(WAIT)).isEqualTo(ChatMessage.newBuilder().setMessageText("first").build());
        quietSince = Instant.now();

        long[] before = sayHelloOk();
        int calls = 300;
        try (UnaryLoad load = UnaryLoad.start(demo, 4)) {
            load.awaitMoreAnswers(calls, WAIT);
            load.close();
            assertThat(load.failures()).isEmpty();
            long[] shares = minus(sayHelloOk(), before);
            System.out.printf("%nnginx: SayHello calls per replica (each replica's own count): %s of %d%n%n",
                    Arrays.toString(shares), load.answered());
            assertThat(Arrays.stream(shares).sum()).as("every call counted once, by one replica")
                    .isEqualTo(load.answered());
            // nginx's round robin gives each a third; half of that leaves room for a noisy machine
            assertThat(Arrays.stream(shares).min().orElseThrow()).isGreaterThanOrEqualTo(load.answered() / 6);
        }
    }

    @Test
    @Order(2)
    void longQuietStreamsAreNotCutByTheProxy() throws Exception {
        Duration left = QUIET.minus(Duration.between(quietSince, Instant.now()));
        if (!left.isNegative()) {
            Thread.sleep(left.toMillis());
        }
        // A Chat whose client sent nothing for 65 s, and a ServerStream whose server sent nothing for 65 s.
        quietChat.exchange("after " + QUIET.toSeconds() + " s of quiet");
        assertThat(quietChat.complete().getCode()).isEqualTo(Status.Code.OK);
        assertThat(pacedStream.next(WAIT)).isEqualTo(ChatMessage.newBuilder().setMessageText("second").build());
        assertThat(pacedStream.next(WAIT)).isEqualTo(Status.OK);
        System.out.printf("%nnginx: a Chat and a ServerStream quiet for %d s each ended OK%n%n", QUIET.toSeconds());
    }

    @Test
    @Order(3)
    void aRollingRestartFailsNoUnaryCallAndEndsEveryStreamWithAStatus() throws Exception {
        List<Integer> exits = new ArrayList<>();
        // Streams longer than the drain's grace period: each is ended by its replica's drain.
        List<OpenChat> longStreams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            longStreams.add(OpenChat.open(chat, "long " + i));
        }
        try (UnaryLoad unary = UnaryLoad.start(demo, 4); ChatLoad streams = ChatLoad.start(chat, 4)) {
            unary.awaitMoreAnswers(100, WAIT);
            for (int i = 0; i < replicas.length; i++) {
                replicas[i].signalTerm();
                exits.add(replicas[i].awaitExit(GRACE.plus(WAIT)));
                replicas[i].close();
                unary.awaitMoreAnswers(100, WAIT);
                replicas[i] = startReplica(i);
                replicas[i].awaitOutput("Started GrpcPatternsApplication", START);
                awaitServedBy(i);
            }
            unary.awaitMoreAnswers(100, WAIT);
            unary.close();
            streams.close();
            List<Status> longEnds = new ArrayList<>();
            for (OpenChat stream : longStreams) {
                longEnds.add(stream.awaitEnd());
            }
            System.out.printf("%nnginx rolling restart: exits %s; %d SayHello calls answered, %d failed %s;"
                            + " %d short Chat streams ended %s; unexpected: %s; streams longer than the grace ended %s%n%n",
                    exits, unary.answered(), unary.failures().size(), unary.failures(), streams.streams(),
                    streams.ends(), streams.unexpected(), longEnds);
            assertThat(longEnds).as("streams cut by a replica's drain, through nginx").allSatisfy(end -> {
                assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(end.getDescription()).isEqualTo("server is shutting down");
            });
            assertThat(exits).as("each replica's exit after SIGTERM").allMatch(exit -> exit == 0 || exit == 143);
            assertThat(unary.failures()).as("unary calls that failed during the rolling restart").isEmpty();
            assertThat(streams.ends().keySet()).as("how the streams ended")
                    .allMatch(end -> end.equals("OK") || end.startsWith("UNAVAILABLE"));
            assertThat(streams.ends()).containsKey("OK");
            assertThat(streams.unexpected()).isEmpty();
        }
    }

    @Test
    @Order(4)
    void aKilledReplicaIsTakenOutOfRotationAndCostsAtMostItsCallsInFlight() throws Exception {
        int threads = 4;
        AppProcess victim = replicas[2];
        String victimAddress = upstreams.get(2);
        long victimBefore = ReplicaMetrics.sayHelloOk(victim);
        int logBefore = nginx.accessLog().size();
        List<String> failures;
        long answered;
        try (UnaryLoad load = UnaryLoad.start(demo, threads)) {
            load.awaitMoreAnswers(100, WAIT);
            assertThat(ReplicaMetrics.sayHelloOk(victim)).as("the victim serves before the kill")
                    .isGreaterThan(victimBefore);
            victim.kill(WAIT);
            load.awaitMoreAnswers(600, WAIT);
            load.close();
            failures = load.failures();
            answered = load.answered();
        }
        List<String> afterKill = nginx.accessLog().subList(logBefore, nginx.accessLog().size());
        long triedOnVictim = afterKill.stream().filter(line -> line.contains(victimAddress)).count();
        System.out.printf("%nnginx SIGKILL: %d SayHello calls answered, %d failed %s; of %d calls nginx passed on"
                        + " since just before the kill, %d tried the killed replica%n%n", answered, failures.size(),
                failures, afterKill.size(), triedOnVictim);
        // at most the calls in flight on it: one per calling thread at most
        assertThat(failures.size()).as("unary calls lost with the killed replica").isLessThanOrEqualTo(threads);
        // passive health: after a failed attempt nginx skips the replica for fail_timeout (10 s)
        assertThat(triedOnVictim).as("calls nginx still sent to the dead replica")
                .isLessThan(afterKill.size() / 3);
    }

    /** Calls SayHello until the replica has answered one (nginx's round robin reaches it again). */
    private void awaitServedBy(int index) throws InterruptedException {
        long before = ReplicaMetrics.sayHelloOk(replicas[index]);
        Instant end = Instant.now().plus(WAIT);
        while (ReplicaMetrics.sayHelloOk(replicas[index]) == before) {
            assertThat(Instant.now()).as("replica " + index + " is back in rotation").isBefore(end);
            Thread.sleep(100);
        }
    }

    private static long[] sayHelloOk() {
        return Arrays.stream(replicas).mapToLong(ReplicaMetrics::sayHelloOk).toArray();
    }

    private static long[] minus(long[] after, long[] before) {
        long[] delta = new long[after.length];
        for (int i = 0; i < after.length; i++) {
            delta[i] = after[i] - before[i];
        }
        return delta;
    }
}
