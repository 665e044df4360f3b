package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.proto.v1.HelloResponse;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drives one server with grpc-java async stubs: {@code channels} connections, each with {@code outstanding}
 * calls in flight, every finished call replaced at once by the next until the round ends. Callbacks run on
 * the transport threads (direct executor), so the client spends as little CPU as it can.
 */
final class LoadGenerator implements ClientLoad {

    /** What one round measures. */
    enum Workload {
        UNARY("unary calls/s", "unary call"),
        SERVER_STREAM("ServerStream messages/s", "ServerStream message"),
        CLIENT_STREAM("ClientStream messages/s", "ClientStream message"),
        CHAT("Chat echo messages/s", "Chat echo");

        final String label;
        final String unit;

        Workload(String label, String unit) {
            this.label = label;
            this.unit = unit;
        }
    }

    /**
     * What a round counted: calls or messages per second while it ran, all that were completed including
     * those that drained after its end, and the latency of each unary call in nanoseconds.
     */
    record Result(double perSecond, long total, long[] latencies) {

        double latencyMillis(double quantile) {
            return latencies[(int) Math.round(quantile * (latencies.length - 1))] / 1e6;
        }
    }

    /** How the load is shaped. */
    record Shape(int channels, int outstanding, int clientStreamMessages, int chatMessages, int chatWindow) {
    }

    private static final HelloRequest HELLO = HelloRequest.newBuilder().setName("benchmark").build();
    private static final ChatMessage MESSAGE = ChatMessage.newBuilder().setMessageText("benchmark").build();
    private static final long CALL_DEADLINE_SECONDS = 60;

    private final Shape shape;
    private final List<ManagedChannel> channels = new ArrayList<>();

    /** {@code interceptors} see every call, e.g. to add a bearer token ({@link AuthCost}). */
    LoadGenerator(int port, Shape shape, ClientInterceptor... interceptors) {
        this.shape = shape;
        for (int i = 0; i < shape.channels(); i++) {
            channels.add(ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().directExecutor()
                    .intercept(interceptors).build());
        }
    }

    @Override
    public Result run(Workload workload, Duration duration) throws InterruptedException {
        Round round = new Round(channels.size() * shape.outstanding());
        List<Slot> slots = new ArrayList<>();
        for (ManagedChannel channel : channels) {
            for (int i = 0; i < shape.outstanding(); i++) {
                slots.add(slot(workload, channel, round));
            }
        }
        long started = System.nanoTime();
        slots.forEach(Slot::call);
        round.stopAfter(duration);
        long elapsed = System.nanoTime() - started;
        round.awaitDrained();

        long count = 0;
        long total = 0;
        long[] latencies = new long[0];
        for (Slot slot : slots) {
            count += slot.count;
            total += slot.total;
            latencies = concat(latencies, slot.latencies, slot.latencyCount);
        }
        Arrays.sort(latencies);
        return new Result(count / (elapsed / 1e9), total, latencies);
    }

    private Slot slot(Workload workload, ManagedChannel channel, Round round) {
        return switch (workload) {
            case UNARY -> new UnarySlot(round, GreeterGrpc.newStub(channel));
            case SERVER_STREAM -> new ServerStreamSlot(round, ChatServiceGrpc.newStub(channel));
            case CLIENT_STREAM -> SendingSlot.clientStream(round, ChatServiceGrpc.newStub(channel),
                    shape.clientStreamMessages());
            case CHAT -> SendingSlot.chat(round, ChatServiceGrpc.newStub(channel), shape.chatMessages(),
                    shape.chatWindow());
        };
    }

    private static long[] concat(long[] a, long[] b, int bLength) {
        long[] all = Arrays.copyOf(a, a.length + bLength);
        System.arraycopy(b, 0, all, a.length, bLength);
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** The shared state of one round: whether it is still counting, and which slots have finished. */
    private static final class Round {
        private volatile boolean stopping;
        private final CountDownLatch drained;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Round(int slots) {
            drained = new CountDownLatch(slots);
        }

        void stopAfter(Duration duration) throws InterruptedException {
            // Ends early if a call fails: that round's numbers would mean nothing.
            drained.await(duration.toNanos(), TimeUnit.NANOSECONDS);
            stopping = true;
        }

        void awaitDrained() throws InterruptedException {
            if (!drained.await(2 * CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("calls still running long after the round ended");
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a call failed during the round", failure.get());
            }
        }
    }

    /**
     * One stream of back-to-back calls. grpc-java serializes the callbacks of a call, and a slot starts its
     * next call only from the last callback of the previous one, so its fields need no lock.
     */
    private abstract static class Slot {
        final Round round;
        long count;
        long total;
        long[] latencies = new long[1024];
        int latencyCount;

        Slot(Round round) {
            this.round = round;
        }

        abstract void call();

        void counted(long n) {
            total += n;
            if (!round.stopping) {
                count += n;
            }
        }

        void finished() {
            if (round.stopping) {
                round.drained.countDown();
            } else {
                call();
            }
        }

        void failed(Throwable error) {
            round.failure.compareAndSet(null, error);
            round.stopping = true;
            round.drained.countDown();
        }

        void latency(long nanos) {
            if (latencyCount == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[latencyCount++] = nanos;
        }
    }

    private static final class UnarySlot extends Slot {
        private final GreeterGrpc.GreeterStub stub;

        UnarySlot(Round round, GreeterGrpc.GreeterStub stub) {
            super(round);
            this.stub = stub;
        }

        @Override
        void call() {
            long started = System.nanoTime();
            stub.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).sayHello(HELLO,
                    new StreamObserver<HelloResponse>() {
                        @Override
                        public void onNext(HelloResponse response) {
                        }

                        @Override
                        public void onError(Throwable error) {
                            failed(error);
                        }

                        @Override
                        public void onCompleted() {
                            if (!round.stopping) {
                                latency(System.nanoTime() - started);
                            }
                            counted(1);
                            finished();
                        }
                    });
        }
    }

    private static final class ServerStreamSlot extends Slot {
        private final ChatServiceGrpc.ChatServiceStub stub;

        ServerStreamSlot(Round round, ChatServiceGrpc.ChatServiceStub stub) {
            super(round);
            this.stub = stub;
        }

        @Override
        void call() {
            stub.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).serverStream(MESSAGE,
                    new StreamObserver<>() {
                        @Override
                        public void onNext(ChatMessage message) {
                            counted(1);
                        }

                        @Override
                        public void onError(Throwable error) {
                            failed(error);
                        }

                        @Override
                        public void onCompleted() {
                            finished();
                        }
                    });
        }
    }

    /**
     * A ClientStream or Chat call that sends up to {@code messages} requests while the transport is ready and no
     * more than {@code window} are unanswered; it half-closes early once the round is over. ClientStream's
     * messages count when its one reply arrives, Chat's each as its echo arrives.
     */
    private static final class SendingSlot extends Slot implements ClientResponseObserver<ChatMessage, ChatMessage> {
        private final ChatServiceGrpc.ChatServiceStub stub;
        private final boolean chat;
        private final int messages;
        private final int window;
        private ClientCallStreamObserver<ChatMessage> requests;
        private int sent;
        private int answered;
        private boolean halfClosed;

        private SendingSlot(Round round, ChatServiceGrpc.ChatServiceStub stub, boolean chat, int messages,
                int window) {
            super(round);
            this.stub = stub;
            this.chat = chat;
            this.messages = messages;
            this.window = window;
        }

        static SendingSlot clientStream(Round round, ChatServiceGrpc.ChatServiceStub stub, int messages) {
            return new SendingSlot(round, stub, false, messages, messages);
        }

        static SendingSlot chat(Round round, ChatServiceGrpc.ChatServiceStub stub, int messages, int window) {
            return new SendingSlot(round, stub, true, messages, window);
        }

        @Override
        void call() {
            sent = 0;
            answered = 0;
            halfClosed = false;
            ChatServiceGrpc.ChatServiceStub withDeadline = stub.withDeadlineAfter(CALL_DEADLINE_SECONDS,
                    TimeUnit.SECONDS);
            if (chat) {
                withDeadline.chat(this);
            } else {
                withDeadline.clientStream(this);
            }
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<ChatMessage> requests) {
            this.requests = requests;
            requests.setOnReadyHandler(this::send);
        }

        private void send() {
            while (!halfClosed && !round.stopping && sent < messages && sent - answered < window
                    && requests.isReady()) {
                requests.onNext(MESSAGE);
                sent++;
            }
            if (!halfClosed && (sent == messages || round.stopping)) {
                halfClosed = true;
                requests.onCompleted();
            }
        }

        @Override
        public void onNext(ChatMessage reply) {
            if (chat) {
                counted(1);
                answered++;
                send();
            } else {
                counted(sent);
            }
        }

        @Override
        public void onError(Throwable error) {
            failed(error);
        }

        @Override
        public void onCompleted() {
            finished();
        }
    }
}
