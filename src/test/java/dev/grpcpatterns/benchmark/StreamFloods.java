package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.benchmark.OpenLoop.Phase;
import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Two floods of streams against the service, each while open-loop unary calls at half its capacity measure what
 * the other callers get: new Chat streams arriving at a fixed rate and staying open (one message each, never
 * half-closed), and Chat clients that send as fast as flow control lets them and never read an answer.
 */
final class StreamFloods {

    private static final int CONNECTIONS = 8;
    private static final double NEW_STREAMS_PER_SECOND = 2000;
    private static final int SLOW_READERS = 500;
    private static final ChatMessage KIB = ChatMessage.newBuilder().setMessageText("x".repeat(1024)).build();

    private StreamFloods() {
    }

    static String run(int port, double capacity, Duration deadline, Duration duration, Duration maxLag,
            String server) throws Exception {
        StringBuilder table = new StringBuilder("\n## Floods of streams (" + server
                + ", with 0.5× unary load beside them)\n\n"
                + "| flood | streams | started | rejected | other | unary goodput (OK/s) | unary p99 (ms) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        try (OpenLoop unary = new OpenLoop(port, 2, deadline, 20_000, maxLag)) {
            Phase calm = unary.send(0.5 * capacity, duration);
            calm.awaitEnded(deadline.plusSeconds(10));
            table.append(row("none", 0, 0, 0, 0, calm));

            System.out.println("streams: new streams that stay open");
            try (Streams open = new Streams(port)) {
                Thread flood = new Thread(() -> open.openAtRate(NEW_STREAMS_PER_SECOND, duration), "stream-flood");
                flood.start();
                Phase beside = unary.send(0.5 * capacity, duration);
                flood.join();
                beside.awaitEnded(deadline.plusSeconds(10));
                table.append(row(String.format(Locale.ROOT, "new Chat streams, %.0f/s, kept open%s",
                        NEW_STREAMS_PER_SECOND, open.otherCodes()), open.calls.size(), open.started.sum(),
                        open.rejected.sum(), open.other.sum(), beside));
            }

            System.out.println("streams: slow readers");
            try (Streams slow = new Streams(port)) {
                for (int i = 0; i < SLOW_READERS; i++) {
                    slow.slowReader();
                }
                Phase beside = unary.send(0.5 * capacity, duration);
                beside.awaitEnded(deadline.plusSeconds(10));
                table.append(row(SLOW_READERS + " Chat clients sending 1 KiB messages, reading nothing ("
                        + slow.sent.sum() + " messages sent" + slow.otherCodes() + ")", SLOW_READERS,
                        SLOW_READERS - slow.rejected.sum() - slow.other.sum(), slow.rejected.sum(), slow.other.sum(),
                        beside));
            }
        }
        return table.toString();
    }

    private static String row(String flood, int streams, long started, long rejected, long other, Phase unary) {
        double[] ok = unary.latenciesMillis(Status.Code.OK);
        return String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %,.0f | %.2f |%n", flood, streams,
                started, rejected, other, ok.length / unary.plannedSeconds, Phase.quantile(ok, 0.99));
    }

    /** Chat streams over their own connections, cancelled (and counted) when closed. */
    private static final class Streams implements AutoCloseable {

        final List<ManagedChannel> channels = new ArrayList<>();
        final ConcurrentLinkedQueue<ClientCall<ChatMessage, ChatMessage>> calls = new ConcurrentLinkedQueue<>();
        /** Streams answered (new-stream flood); slow readers are never answered and count as started unless closed. */
        final LongAdder started = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder other = new LongAdder();
        final LongAdder sent = new LongAdder();
        /** How the "other" streams ended, by status code. */
        final Map<Status.Code, LongAdder> otherEnds = new ConcurrentHashMap<>();
        private volatile boolean closing;

        Streams(int port) {
            for (int i = 0; i < CONNECTIONS; i++) {
                channels.add(ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().directExecutor()
                        .build());
            }
        }

        void openAtRate(double perSecond, Duration duration) {
            long start = System.nanoTime();
            int planned = (int) (perSecond * duration.toNanos() / 1e9);
            for (int i = 0; i < planned; i++) {
                long wait = start + (long) (i * 1e9 / perSecond) - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                ClientCall<ChatMessage, ChatMessage> call = newCall(i);
                call.start(new Counting(call, false), new Metadata());
                call.request(1);
                call.sendMessage(KIB);
            }
        }

        void slowReader() {
            ClientCall<ChatMessage, ChatMessage> call = newCall(calls.size());
            // No request(): not one answer is read. Sends while the transport takes more (onReady).
            call.start(new Counting(call, true), new Metadata());
            sendWhileReady(call);
        }

        private ClientCall<ChatMessage, ChatMessage> newCall(int i) {
            ClientCall<ChatMessage, ChatMessage> call = channels.get(i % channels.size())
                    .newCall(ChatServiceGrpc.getChatMethod(), CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS));
            calls.add(call);
            return call;
        }

        private void sendWhileReady(ClientCall<ChatMessage, ChatMessage> call) {
            synchronized (call) {
                while (!closing && call.isReady()) {
                    call.sendMessage(KIB);
                    sent.increment();
                }
            }
        }

        /** {@code "; other: CANCELLED 3, ..."}, or nothing when no stream ended otherwise. */
        String otherCodes() {
            StringBuilder codes = new StringBuilder();
            otherEnds.forEach((code, count) -> codes.append(codes.isEmpty() ? "; other: " : ", ").append(code)
                    .append(' ').append(count.sum()));
            return codes.toString();
        }

        @Override
        public void close() throws InterruptedException {
            closing = true;
            calls.forEach(call -> call.cancel("flood over", null));
            for (ManagedChannel channel : channels) {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }

        private final class Counting extends ClientCall.Listener<ChatMessage> {

            private final ClientCall<ChatMessage, ChatMessage> call;
            private final boolean slow;
            private boolean answered;

            Counting(ClientCall<ChatMessage, ChatMessage> call, boolean slow) {
                this.call = call;
                this.slow = slow;
            }

            @Override
            public void onMessage(ChatMessage message) {
                if (!answered) {
                    answered = true;
                    started.increment();
                }
            }

            @Override
            public void onReady() {
                if (slow) {
                    sendWhileReady(call);
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                    rejected.increment();
                } else if (!closing) {
                    other.increment();
                    otherEnds.computeIfAbsent(status.getCode(), code -> new LongAdder()).increment();
                }
            }
        }
    }
}
