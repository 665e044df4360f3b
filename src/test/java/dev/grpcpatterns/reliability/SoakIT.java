package dev.grpcpatterns.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.AppProcess;
import dev.grpcpatterns.support.JvmProbe;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of concurrent Chat streams and unary callers against the packaged service, in rounds, for a bounded
 * time. Every text carries its round, stream and sequence number: each must come back exactly once, in order,
 * and every call must end OK. Heap after a full GC, call threads and in-flight calls are checked at the end.
 *
 * <p>Longer run: {@code ./mvnw -B -ntp verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=SoakIT -Dsoak.seconds=600} (also {@code soak.streams}, {@code soak.unary-callers},
 * {@code soak.messages}).
 */
class SoakIT {

    private static final int STREAMS = Integer.getInteger("soak.streams", 256);
    private static final int UNARY_CALLERS = Integer.getInteger("soak.unary-callers", 64);
    private static final int MESSAGES = Integer.getInteger("soak.messages", 40);
    private static final Duration DURATION = Duration.ofSeconds(Long.getLong("soak.seconds", 40));
    private static final int CHANNELS = 4;
    /** Texts a Chat stream may have sent and not yet seen answered. */
    private static final int WINDOW = 8;
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(5);
    private static final int EXECUTOR_THREADS = 16;

    private final Queue<String> failures = new ConcurrentLinkedQueue<>();

    @Test
    void everyMessageIsAnsweredOnceInOrderAndTheHeapStaysSteady() throws Exception {
        try (AppProcess app = AppProcess.start("--demo.enabled=false", "--chat.server-stream.interval=0",
                "--reliability.executor.threads=" + EXECUTOR_THREADS)) {
            app.awaitOutput("Started GrpcPatternsApplication", Duration.ofMinutes(3));
            List<ManagedChannel> channels = new ArrayList<>();
            for (int i = 0; i < CHANNELS; i++) {
                channels.add(app.channel());
            }
            ExecutorService unaryThreads = Executors.newFixedThreadPool(UNARY_CALLERS);
            try {
                round(0, channels, unaryThreads);
                long heapAfterWarmUp = JvmProbe.heapAfterFullGc(app.pid());

                Instant start = Instant.now();
                int rounds = 0;
                while (Duration.between(start, Instant.now()).compareTo(DURATION) < 0 && failures.isEmpty()) {
                    round(++rounds, channels, unaryThreads);
                }
                Duration took = Duration.between(start, Instant.now());
                long heapAtEnd = JvmProbe.heapAfterFullGc(app.pid());
                long callThreads = JvmProbe.threadsNamed(app.pid(), "grpc-call-");
                double activeCalls = awaitNoActiveCalls(app.httpPort());

                long chatMessages = (long) rounds * STREAMS * MESSAGES;
                long unaryCalls = (long) rounds * UNARY_CALLERS * MESSAGES;
                System.out.printf("%nSoak: %d rounds in %d s: %d Chat streams x %d messages and %d unary callers x %d"
                                + " calls per round%n", rounds, took.toSeconds(), STREAMS, MESSAGES, UNARY_CALLERS,
                        MESSAGES);
                System.out.printf("| measure | value |%n|---|---|%n");
                System.out.printf("| Chat messages answered in order | %d (%.0f/s) |%n", chatMessages,
                        chatMessages / (took.toMillis() / 1000.0));
                System.out.printf("| unary calls answered | %d (%.0f/s) |%n", unaryCalls,
                        unaryCalls / (took.toMillis() / 1000.0));
                System.out.printf("| unexpected statuses or texts | %d |%n", failures.size());
                System.out.printf("| heap after full GC: warm-up / end | %d MiB / %d MiB |%n",
                        heapAfterWarmUp >> 20, heapAtEnd >> 20);
                System.out.printf("| gRPC call threads (limit %d) | %d |%n", EXECUTOR_THREADS, callThreads);
                System.out.printf("| in-flight calls at the end | %.0f |%n%n", activeCalls);

                assertThat(failures).as("unexpected statuses or texts").isEmpty();
                assertThat(rounds).isPositive();
                assertThat(heapAtEnd).as("heap after the soak vs after warm-up")
                        .isLessThan(heapAfterWarmUp + (64L << 20));
                assertThat(callThreads).isBetween(1L, (long) EXECUTOR_THREADS);
                assertThat(activeCalls).isZero();
                assertThat(app.output()).doesNotContain(" ERROR ").doesNotContain(" WARN ");
            } finally {
                unaryThreads.shutdownNow();
                for (ManagedChannel channel : channels) {
                    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private void round(int round, List<ManagedChannel> channels, ExecutorService unaryThreads) throws Exception {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int s = 0; s < STREAMS; s++) {
            calls.add(SequencedChat.start("r" + round + "-s" + s, channels.get(s % CHANNELS), MESSAGES, WINDOW,
                    ROUND_TIMEOUT, failures));
        }
        for (int u = 0; u < UNARY_CALLERS; u++) {
            ManagedChannel channel = channels.get(u % CHANNELS);
            String caller = "r" + round + "-u" + u;
            calls.add(CompletableFuture.runAsync(() -> unaryCalls(caller, channel), unaryThreads));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .get(ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private void unaryCalls(String caller, ManagedChannel channel) {
        GreeterGrpc.GreeterBlockingStub greeter = GreeterGrpc.newBlockingStub(channel);
        for (int i = 0; i < MESSAGES; i++) {
            String name = caller + "-" + i;
            try {
                String reply = greeter.withDeadlineAfter(60, TimeUnit.SECONDS)
                        .sayHello(HelloRequest.newBuilder().setName(name).build()).getResponseText();
                if (!reply.equals("Hello, " + name + "!")) {
                    failures.add(name + " answered " + reply);
                }
            } catch (RuntimeException e) {
                failures.add(name + " ended with " + Status.fromThrowable(e));
            }
        }
    }

    /** Reads the in-flight gauge over actuator until it is 0 (calls end asynchronously), and returns it. */
    private static double awaitNoActiveCalls(int httpPort) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://localhost:" + httpPort + "/actuator/metrics/grpc.server.calls.active")).build();
        Pattern value = Pattern.compile("\"value\"\\s*:\\s*([0-9.]+)");
        Instant end = Instant.now().plusSeconds(30);
        double active;
        do {
            Matcher matcher = value.matcher(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
            assertThat(matcher.find()).as("grpc.server.calls.active is exposed").isTrue();
            active = Double.parseDouble(matcher.group(1));
            if (active == 0) {
                return active;
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(end));
        return active;
    }
}
