package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.ReplicaMetrics;
import dev.grpcpatterns.support.AppProcess;
import dev.grpcpatterns.support.JvmProbe;
import dev.grpcpatterns.support.StreamEvents;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded leak check of the packaged service (benchmark profile, never in verify): rounds of all four patterns
 * with the article's inputs, each round over connections of its own that are opened first and closed after, so
 * connects and disconnects repeat too. After each round: heap after a full GC and RSS of the server process, and its
 * calls in flight. Prints a table and whether both stayed flat; writes it to {@code leak-check.md} beside the
 * benchmark's results. Knobs: {@code bench.leak-rounds} (0 skips it), {@code bench.leak-connections},
 * {@code bench.leak-calls} (of each pattern per connection and round), {@code bench.server-jvm-args}.
 */
public final class LeakCheck {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Heap after a full GC may wander by a few MiB (class loading, JIT, caches warming); a leak keeps climbing. */
    private static final long HEAP_NOISE = 4L << 20;
    /** RSS moves with the C heap's trimming and the code cache; give it more room. */
    private static final long RSS_NOISE = 24L << 20;

    private LeakCheck() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.leak-rounds", 10);
        int connections = Integer.getInteger("bench.leak-connections", 8);
        int calls = Integer.getInteger("bench.leak-calls", 50);
        if (rounds <= 0) {
            System.out.println("Leak check skipped (bench.leak-rounds=0)");
            return;
        }
        Path out = Path.of(System.getProperty("bench.out", "target/benchmark"));
        String jvmArgs = System.getProperty("bench.server-jvm-args", "-XX:+UseSerialGC -Xmx64m");
        try (AppProcess server = AppProcess.start(Map.of("JAVA_TOOL_OPTIONS", jvmArgs),
                "--demo.enabled=false", "--chat.server-stream.interval=0s")) {
            server.awaitOutput("Started GrpcPatternsApplication", Duration.ofMinutes(3));
            ExecutorService callers = Executors.newFixedThreadPool(connections);
            try {
                StringBuilder table = new StringBuilder();
                table.append(String.format("Leak check: %d rounds; each round opens %d connections, runs %d calls of"
                                + " each of the four patterns on each (%d calls), then closes them. Server JVM: %s%n%n",
                        rounds, connections, calls, connections * calls * 4, jvmArgs));
                table.append("| round | calls | failed | heap after full GC (MiB) | RSS (MiB) | calls in flight |\n");
                table.append("|---:|---:|---:|---:|---:|---:|\n");
                round(server, callers, connections, calls); // warm-up: classes, JIT, pools
                List<long[]> samples = new ArrayList<>();
                long failedTotal = 0;
                for (int round = 1; round <= rounds; round++) {
                    long failed = round(server, callers, connections, calls);
                    failedTotal += failed;
                    long heap = JvmProbe.heapAfterFullGc(server.pid());
                    long rss = JvmProbe.residentBytes(server.pid());
                    long inFlight = ReplicaMetrics.callsActive(server);
                    samples.add(new long[] {heap, rss});
                    table.append(String.format("| %d | %,d | %d | %.1f | %.1f | %d |%n", round,
                            (long) connections * calls * 4, failed, heap / 1048576.0, rss / 1048576.0, inFlight));
                }
                table.append('\n').append(verdict(samples, failedTotal)).append('\n');
                System.out.println();
                System.out.println(table);
                Files.createDirectories(out);
                Files.writeString(out.resolve("leak-check.md"), table);
            } finally {
                callers.shutdownNow();
            }
        }
    }

    /** The growth from the first rounds to the last, each side the median of a third of the rounds. */
    private static String verdict(List<long[]> samples, long failed) {
        int third = Math.max(1, samples.size() / 3);
        long heapGrowth = median(samples.subList(samples.size() - third, samples.size()), 0)
                - median(samples.subList(0, third), 0);
        long rssGrowth = median(samples.subList(samples.size() - third, samples.size()), 1)
                - median(samples.subList(0, third), 1);
        boolean flat = heapGrowth < HEAP_NOISE && rssGrowth < RSS_NOISE && failed == 0;
        return String.format("Heap after full GC grew %.1f MiB (noise allowed %d MiB), RSS %.1f MiB (%d MiB) from the"
                        + " first third of the rounds to the last; %d calls failed: %s", heapGrowth / 1048576.0,
                HEAP_NOISE >> 20, rssGrowth / 1048576.0, RSS_NOISE >> 20, failed,
                flat ? "FLAT within noise, no leak seen" : "NOT FLAT: look for a leak");
    }

    private static long median(List<long[]> samples, int index) {
        return samples.stream().mapToLong(sample -> sample[index]).sorted().toArray()[samples.size() / 2];
    }

    /** One round: new connections, every pattern on each, connections closed; returns the calls that failed. */
    private static long round(AppProcess server, ExecutorService callers, int connections, int calls)
            throws Exception {
        AtomicLong failed = new AtomicLong();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            done.add(CompletableFuture.runAsync(() -> {
                ManagedChannel channel = server.channel();
                try {
                    for (int i = 0; i < calls; i++) {
                        if (!fourPatterns(channel)) {
                            failed.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    channel.shutdownNow();
                }
            }, callers));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        return failed.get();
    }

    /** SayHello, ServerStream, ClientStream and Chat with the article's inputs; whether all answered as expected. */
    private static boolean fourPatterns(ManagedChannel channel) throws InterruptedException {
        try {
            String hello = GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS)
                    .sayHello(HelloRequest.newBuilder().setName("Hyeonghwan").build()).getResponseText();
            List<String> streamed = new ArrayList<>();
            ChatServiceGrpc.newBlockingStub(channel).withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS)
                    .serverStream(message("start")).forEachRemaining(reply -> streamed.add(reply.getMessageText()));
            ChatServiceGrpc.ChatServiceStub chat = ChatServiceGrpc.newStub(channel)
                    .withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS);
            StreamEvents<ChatMessage> joined = new StreamEvents<>();
            StreamObserver<ChatMessage> parts = chat.clientStream(joined);
            List.of("msg1", "msg2", "msg3").forEach(text -> parts.onNext(message(text)));
            parts.onCompleted();
            boolean clientStreamOk = joined.next(WAIT).equals(message("msg1 msg2 msg3")) && Status.OK.equals(joined.next(WAIT));
            StreamEvents<ChatMessage> answers = new StreamEvents<>();
            StreamObserver<ChatMessage> texts = chat.chat(answers);
            boolean chatOk = true;
            for (String text : List.of("Hello grpc!", "This is Bidirectional Streaming RPC!", "Is it working good?")) {
                texts.onNext(message(text));
                chatOk &= answers.next(WAIT).equals(message("Received: " + text));
            }
            texts.onCompleted();
            chatOk &= Status.OK.equals(answers.next(WAIT));
            return hello.equals("Hello, Hyeonghwan!")
                    && streamed.equals(List.of("Hello world", "This is server streaming grpc", "Good bye"))
                    && clientStreamOk && chatOk;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static ChatMessage message(String text) {
        return ChatMessage.newBuilder().setMessageText(text).build();
    }
}
