package dev.grpcpatterns.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.demo.DemoFlows;
import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.support.AppProcess;
import dev.grpcpatterns.support.ArticleOutput;
import dev.grpcpatterns.support.JvmProbe;
import dev.grpcpatterns.support.Prerequisites;
import dev.grpcpatterns.support.ReplicaMetrics;
import dev.grpcpatterns.support.TestNetwork;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
 * Faults injected by the kernel between two test hosts ({@link TestNetwork}): the service ({@code java -jar}) runs
 * in its own network namespace, reached by this test (the client host, the root namespace) over a veth link whose
 * server end is the one faults are applied to: iptables random drops, DROP both ways, REJECT with a TCP reset, and
 * tc token-bucket shaping. A second link, never faulted, carries the server's actuator, so the test can read the
 * server's own gauge while the data link is down. The client is the demo channel itself ({@code @GrpcClient("demo")},
 * {@code DemoFlows}), configured by {@code application.yml}. The server's keepalive is shortened here through the
 * settings users have ({@code grpc.server.keep-alive-time}, {@code -timeout}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "grpc.server.port=-1",
        "demo.enabled=false",
        "demo.chat-pause=200ms",
        "demo.deadline=10s"
})
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "networkAvailable", disabledReason = "needs root, iproute2 and iptables (see TestNetwork); fails instead under CI")
@Import(DemoFlows.class)
class NetworkFaultsIT {

    /**
     * The shortest keepalive time grpc-java honours: {@code NettyServerBuilder.keepAliveTime} raises anything below
     * 10 s to 10 s ({@code KeepAliveManager.clampKeepAliveTimeInNanos}), so a shorter setting would silently ping
     * every 10 s anyway.
     */
    private static final Duration KEEP_ALIVE_TIME = Duration.ofSeconds(10);
    private static final Duration KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long after a peer goes silent the server takes to drop it, by grpc-java's timers: it pings keep-alive-time
     * after the last frame it read (an earlier scheduled ping is re-aimed at that moment, not sent) and closes the
     * connection keep-alive-timeout later if no answer came. No test asserts this with a guessed slack for busy
     * timers and polling: a test shows the server's ping went out (the kernel's count of what the server sent into
     * the partition) and that the calls ended before their own deadline, which is set this plus 10 s.
     */
    private static final Duration KEEP_ALIVE_BOUND = KEEP_ALIVE_TIME.plus(KEEP_ALIVE_TIMEOUT);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int GRPC_PORT = 50051;
    private static final int HTTP_PORT = 8080;

    private static TestNetwork network;
    private static TestNetwork.Host server;
    private static TestNetwork.Link data;
    private static AppProcess app;

    @Autowired
    private DemoFlows demo;

    @GrpcClient("demo")
    private Channel channel;

    static boolean networkAvailable() {
        return Prerequisites.met("NetworkFaultsIT", TestNetwork.unavailableBecause());
    }

    @DynamicPropertySource
    static void startServer(DynamicPropertyRegistry registry) throws InterruptedException {
        network = TestNetwork.create();
        server = network.host("faults");
        data = network.link(null, server, "fd", 191);
        TestNetwork.Link management = network.link(null, server, "fm", 192);
        app = AppProcess.startOn(server, management.addressB(), GRPC_PORT, HTTP_PORT,
                "--demo.enabled=false",
                "--grpc.server.keep-alive-time=" + KEEP_ALIVE_TIME.toSeconds() + "s",
                "--grpc.server.keep-alive-timeout=" + KEEP_ALIVE_TIMEOUT.toSeconds() + "s");
        try {
            app.awaitOutput("Started GrpcPatternsApplication", Duration.ofMinutes(4));
        } catch (AssertionError | RuntimeException e) {
            stop();
            throw e;
        }
        registry.add("grpc.client.demo.address", () -> "static://" + data.addressB() + ":" + GRPC_PORT);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (network != null) {
            network.close();
        }
    }

    /** Every rule and shaping of a test goes with it (the namespace's tables hold nothing else). */
    @AfterEach
    void heal() {
        server.exec("iptables", "-F", "INPUT");
        server.exec("iptables", "-F", "OUTPUT");
        server.exec("sh", "-c", "tc qdisc del dev " + data.deviceB() + " root 2>/dev/null || true");
    }

    @Test
    @Order(1)
    void losesNothingWhenFivePercentOfPacketsAreDroppedEachWay() throws Exception {
        demo.runAll(line -> { }); // connected and warm before the fault
        String device = data.deviceB();
        // a rule without a target first: it only counts every packet, so the drops can be put against the total
        server.exec("iptables", "-A", "INPUT", "-i", device);
        server.exec("iptables", "-A", "OUTPUT", "-o", device);
        server.exec("iptables", "-A", "INPUT", "-i", device, "-m", "statistic", "--mode", "random",
                "--probability", "0.05", "-j", "DROP");
        server.exec("iptables", "-A", "OUTPUT", "-o", device, "-m", "statistic", "--mode", "random",
                "--probability", "0.05", "-j", "DROP");

        int streams = 64;
        int messages = 200;
        int demoRounds = 3;
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        Instant start = Instant.now();
        List<CompletableFuture<Void>> chats = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            // one text at a time: each goes out in packets of its own rather than batched with the next ones
            chats.add(SequencedChat.start("s" + s, channel, messages, 1, Duration.ofMinutes(3), failures));
        }
        List<List<String>> demoOutputs = new ArrayList<>();
        for (int round = 0; round < demoRounds; round++) {
            List<String> lines = new ArrayList<>();
            try {
                demo.runAll(lines::add);
            } catch (StatusRuntimeException e) {
                failures.add("demo round " + round + " failed: " + e.getStatus());
            }
            demoOutputs.add(lines);
        }
        CompletableFuture.allOf(chats.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
        Duration took = Duration.between(start, Instant.now());

        long droppedIn = packets("INPUT", true);
        long droppedOut = packets("OUTPUT", true);
        long seenIn = packets("INPUT", false);
        long seenOut = packets("OUTPUT", false);
        System.out.printf("%n5%% loss each way: %d Chat streams x %d texts and %d rounds of the four patterns in %d ms;"
                        + " packets dropped by the kernel: %d of %d to the server, %d of %d from it; failures: %d %s%n%n",
                streams, messages, demoRounds, took.toMillis(), droppedIn, seenIn, droppedOut, seenOut,
                failures.size(), failures);

        assertThat(failures).as("calls that failed, texts lost, duplicated or out of order").isEmpty();
        assertThat(demoOutputs).as("the article's output, every round").allSatisfy(
                lines -> assertThat(lines).containsExactlyElementsOf(ArticleOutput.LINES));
        assertThat(droppedIn).as("packets dropped on the way in").isPositive();
        assertThat(droppedOut).as("packets dropped on the way out").isPositive();
    }

    @Test
    @Order(2)
    void aSlowLinkAndASlowReaderKeepTheServersHeapBounded() throws Exception {
        // Server to client at 1 Mbit/s; the client sends 64 KiB texts as fast as the transport takes them and reads
        // one answer every 100 ms. Without flow control the server would read all of them and queue the answers.
        server.exec("tc", "qdisc", "add", "dev", data.deviceB(), "root", "tbf", "rate", "1mbit", "burst", "32kbit",
                "latency", "500ms");
        long receivedBefore = ReplicaMetrics.chatMessagesReceived(app);
        long sentBefore = ReplicaMetrics.chatMessagesSent(app);
        long heapBefore = JvmProbe.heapAfterFullGc(app.pid());
        SlowReader reader = new SlowReader(channel, 2000, 64 * 1024);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        try {
            clock.scheduleAtFixedRate(reader::readOne, 100, 100, TimeUnit.MILLISECONDS);
            Thread.sleep(5_000);
            long heapEarly = JvmProbe.heapAfterFullGc(app.pid());
            long inFlightEarly = ReplicaMetrics.chatMessagesReceived(app) - receivedBefore - reader.answered();
            Thread.sleep(15_000);
            long heapLate = JvmProbe.heapAfterFullGc(app.pid());
            long serverRead = ReplicaMetrics.chatMessagesReceived(app) - receivedBefore;
            long serverWrote = ReplicaMetrics.chatMessagesSent(app) - sentBefore;
            long answered = reader.answered();
            long inFlightLate = serverRead - answered;
            System.out.printf("%nSlow link (1 Mbit/s) and a slow reader, 20 s: client sent %d of %d texts of 64 KiB"
                            + " (backlog %d MiB), server read %d and wrote %d, client read %d; read but not yet read by"
                            + " the client: %d after 5 s, %d after 20 s; heap after full GC: %d MiB before,"
                            + " %d MiB after 5 s, %d MiB after 20 s%n%n",
                    reader.sent(), 2000, (2000 - reader.sent()) * 64 / 1024, serverRead, serverWrote, answered,
                    inFlightEarly, inFlightLate, heapBefore >> 20, heapEarly >> 20, heapLate >> 20);

            assertThat(answered).as("the client got answers").isPositive();
            assertThat(reader.sent()).as("what the client could hand over (it wanted 2000)").isLessThan(200);
            // 1 MiB of HTTP/2 window each way and the socket buffers hold a few dozen texts of 64 KiB, not the backlog
            assertThat(inFlightLate).as("texts the server has read beyond what the client took").isLessThan(100);
            assertThat(heapLate).as("heap after GC at 20 s vs at 5 s").isLessThan(heapEarly + (16L << 20));
        } finally {
            clock.shutdownNow();
            reader.cancel();
        }
        awaitNoCalls(Instant.now(), WAIT, 1);
    }

    @Test
    @Order(3)
    void aConnectionResetMidStreamEndsBothSidesWithAStatus() throws Exception {
        List<ChatStreams.OpenChat> streams = openChats(4, Duration.ofMinutes(2));
        assertThat(ReplicaMetrics.callsActive(app)).as("the streams (and the channel's health watch)")
                .isGreaterThanOrEqualTo(4);

        // Whatever either side sends on the gRPC port is answered with a TCP reset by the server's host.
        String device = data.deviceB();
        server.exec("iptables", "-A", "INPUT", "-i", device, "-p", "tcp", "--dport", Integer.toString(GRPC_PORT),
                "-j", "REJECT", "--reject-with", "tcp-reset");
        // (the resets sent to the client pass the OUTPUT chain too: they must not be caught by the second rule)
        server.exec("iptables", "-A", "OUTPUT", "-o", device, "-p", "tcp", "--sport", Integer.toString(GRPC_PORT),
                "!", "--tcp-flags", "RST", "RST", "-j", "REJECT", "--reject-with", "tcp-reset");
        Instant reset = Instant.now();
        streams.forEach(stream -> stream.send("into the reset"));

        List<Status.Code> clientEnds = new ArrayList<>();
        for (ChatStreams.OpenChat stream : streams) {
            clientEnds.add(stream.awaitEnd(WAIT).getCode());
        }
        Duration clientTook = Duration.between(reset, Instant.now());
        // the server learns of the reset at its next write or keepalive ping; the streams' deadline is 2 minutes
        Duration serverTook = awaitNoCalls(reset, WAIT, 0);
        System.out.printf("%nTCP reset mid-stream: client ends %s after %d ms; server's calls in flight 0 after %d ms%n%n",
                clientEnds, clientTook.toMillis(), serverTook.toMillis());
        assertThat(clientEnds).as("the client's end of each stream").containsOnly(Status.Code.UNAVAILABLE);

        heal();
        List<String> lines = new ArrayList<>();
        awaitDemoWorks(lines);
        assertThat(lines).containsExactlyElementsOf(ArticleOutput.LINES);
        streams.forEach(ChatStreams.OpenChat::close);
        assertThat(app.output()).doesNotContain(" ERROR ");
    }

    @Test
    @Order(4)
    void aSilentPartitionIsNoticedByKeepaliveAndHealsAfterwards() throws Exception {
        // Longer than the keepalive's bound: the server enforces the calls' deadlines too, so calls ended before it
        // were ended by keepalive, not by their deadline.
        Duration deadline = KEEP_ALIVE_BOUND.plus(Duration.ofSeconds(10));
        List<ChatStreams.OpenChat> streams = openChats(4, deadline);
        assertThat(ReplicaMetrics.callsActive(app)).isGreaterThanOrEqualTo(4);

        // Every packet, both ways, vanishes: no FIN, no reset; only the actuator's own link still works.
        String device = data.deviceB();
        server.exec("iptables", "-A", "INPUT", "-i", device, "-j", "DROP");
        Instant partitioned = Instant.now(); // the server can read nothing from here on: its keepalive clock runs
        server.exec("iptables", "-A", "OUTPUT", "-o", device, "-j", "DROP");

        Duration serverTook = awaitNoCalls(partitioned, deadline, 0);
        // The streams were quiet and nothing from the client gets through: what the server sent is its keepalive
        // ping (and the close after it), counted by the DROP rule that swallowed it.
        long sentIntoThePartition = packets("OUTPUT", true);
        List<Status.Code> clientEnds = new ArrayList<>();
        for (ChatStreams.OpenChat stream : streams) {
            clientEnds.add(stream.awaitEnd(WAIT).getCode());
        }
        Duration clientTook = Duration.between(partitioned, Instant.now());
        Status unary; // a new call on the channel, which does not know yet that its connection is gone
        try {
            demo.sayHello(text -> { });
            unary = Status.OK;
        } catch (StatusRuntimeException e) {
            unary = e.getStatus();
        }

        heal();
        Instant healed = Instant.now();
        List<String> lines = new ArrayList<>();
        int failedAttempts = awaitDemoWorks(lines);
        Duration backAfter = Duration.between(healed, Instant.now());
        System.out.printf("%nSilent partition: server's calls in flight 0 after %d ms (keepalive %d s + %d s),"
                        + " %d packets sent into the partition by the server;"
                        + " client streams end %s after %d ms (deadline %d s); SayHello during it: %s;"
                        + " after healing the four patterns answer after %d ms (%d failed attempts first)%n%n",
                serverTook.toMillis(), KEEP_ALIVE_TIME.toSeconds(), KEEP_ALIVE_TIMEOUT.toSeconds(),
                sentIntoThePartition, clientEnds,
                clientTook.toMillis(), deadline.toSeconds(), unary.getCode(), backAfter.toMillis(), failedAttempts);

        assertThat(sentIntoThePartition).as("packets the server sent into the partition: its keepalive ping")
                .isPositive();
        assertThat(clientEnds).as("the client's end of each stream")
                .allMatch(code -> code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.UNAVAILABLE);
        assertThat(unary.getCode()).isIn(Status.Code.DEADLINE_EXCEEDED, Status.Code.UNAVAILABLE);
        assertThat(lines).containsExactlyElementsOf(ArticleOutput.LINES);
        assertThat(app.output()).doesNotContain(" ERROR ");
    }

    private List<ChatStreams.OpenChat> openChats(int count, Duration deadline) throws InterruptedException {
        List<ChatStreams.OpenChat> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ChatStreams.OpenChat stream = ChatStreams.open(channel, deadline);
            stream.awaitEcho("stream " + i, WAIT);
            streams.add(stream);
        }
        return streams;
    }

    /** Runs the four patterns until a round succeeds (bounded); returns how many rounds failed first. */
    private int awaitDemoWorks(List<String> lines) throws InterruptedException {
        Instant end = Instant.now().plus(Duration.ofMinutes(2));
        int failed = 0;
        while (true) {
            lines.clear();
            try {
                demo.runAll(lines::add);
                return failed;
            } catch (StatusRuntimeException e) {
                failed++;
                if (Instant.now().isAfter(end)) {
                    throw new AssertionError("the demo still fails after the fault is gone: " + e.getStatus(), e);
                }
            }
        }
    }

    /**
     * Waits until the server counts at most {@code atMost} calls in flight (the demo channel's health watch is one
     * while the channel is connected) and returns how long it took since {@code start}; fails after {@code timeout}.
     */
    private static Duration awaitNoCalls(Instant start, Duration timeout, long atMost) throws InterruptedException {
        while (ReplicaMetrics.callsActive(app) > atMost) {
            assertThat(Duration.between(start, Instant.now())).as("time until the server's calls in flight are "
                    + atMost + " (now " + ReplicaMetrics.callsActive(app) + ")").isLessThan(timeout);
            Thread.sleep(100);
        }
        return Duration.between(start, Instant.now());
    }

    /** Packets counted by the chain's random DROP rule ({@code dropped}), or by the counting rule before it. */
    private static long packets(String chain, boolean dropped) {
        return server.exec("iptables", "-L", chain, "-n", "-v", "-x").lines().skip(2) // the chain's two header lines
                .filter(rule -> rule.contains("DROP") == dropped)
                .mapToLong(rule -> Long.parseLong(rule.trim().split("\\s+")[0])).sum();
    }

    /** A Chat client that sends big texts whenever its transport is ready and reads one answer per tick. */
    private static final class SlowReader implements ClientResponseObserver<ChatMessage, ChatMessage> {

        private final int total;
        private final String text;
        private final AtomicInteger sent = new AtomicInteger();
        private final AtomicInteger answered = new AtomicInteger();
        private ClientCallStreamObserver<ChatMessage> requests;

        SlowReader(Channel channel, int total, int size) {
            this.total = total;
            this.text = "x".repeat(size);
            ChatServiceGrpc.newStub(channel).withDeadlineAfter(5, TimeUnit.MINUTES).chat(this);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<ChatMessage> requestStream) {
            requests = requestStream;
            requestStream.disableAutoRequestWithInitial(0);
            requestStream.setOnReadyHandler(this::sendWhileReady);
        }

        private synchronized void sendWhileReady() {
            while (requests.isReady() && sent.get() < total) {
                requests.onNext(ChatMessage.newBuilder().setMessageText(text).build());
                sent.incrementAndGet();
            }
        }

        void readOne() {
            requests.request(1);
        }

        int sent() {
            return sent.get();
        }

        int answered() {
            return answered.get();
        }

        void cancel() {
            requests.cancel("test over", null);
        }

        @Override
        public void onNext(ChatMessage value) {
            answered.incrementAndGet();
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
