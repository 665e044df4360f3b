package dev.grpcpatterns.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flow control, deadlines and cancellation of the streaming patterns over a real Netty port. The measure is
 * how many replies the service has handed to the transport: against a client that does not read, that count
 * must stop at what the HTTP/2 window holds, not grow with what the service would like to send.
 *
 * <p>No test waits for "no change for a while". The client's window is fixed ({@link #WINDOW}, no auto-tuning), so
 * where the service must stop is known: the first reply that does not fit completely ({@link #stallsAt}) stays
 * queued in the transport, above grpc-java's 32 KiB ready threshold, until the client reads, so from then on
 * {@code isReady()} is false and no {@code onReady} can come. The test waits for that event (the service asked
 * {@code isReady()} and was told no, with that many replies handed over) and also records any reply handed over
 * while the service's last answer was "no" (no {@code onReady} since): a service that ignores readiness fails,
 * however fast it is.
 */
class FlowControlTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String BIG = "x".repeat(64 * 1024);
    private static final int MANY = 2000;
    /** The client's HTTP/2 window (stream and connection), fixed: 1 MiB holds 15 replies of 64 KiB and part of a 16th. */
    private static final int WINDOW = 1024 * 1024;
    /** Far beyond what the window holds (2000 replies of 64 KiB are 128 MiB). */
    private static final int BOUND = 100;
    /** gRPC's length-prefixed message framing: a flag byte and a 4-byte length before each message. */
    private static final int FRAME_HEADER = 5;

    private final AtomicInteger handedToTransport = new AtomicInteger();
    private final AtomicInteger receivedByService = new AtomicInteger();
    /** The most replies handed over when the service was told "not ready". */
    private final AtomicInteger notReadyAt = new AtomicInteger();
    /** Replies handed over while the service's last answer from {@code isReady()} was "no" (and no onReady since). */
    private final AtomicInteger sentWhileNotReady = new AtomicInteger();
    /** Calls the server started and has not yet seen end: completed, or cancelled (deadline, client, connection). */
    private final AtomicInteger activeCalls = new AtomicInteger();
    private final PacingTimer pacing = new PacingTimer();
    private Server server;
    private ManagedChannel channel;

    private void start(List<String> serverStreamMessages, Duration interval) throws Exception {
        ChatProperties properties = new ChatProperties(
                new ChatProperties.ServerStream(serverStreamMessages, interval),
                new ChatProperties.ClientStream(10, 1000), new ChatProperties.MessageLog(20));
        server = NettyServerBuilder.forPort(0)
                .addService(ServerInterceptors.intercept(new ChatService(properties, pacing), watchCalls()))
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress("localhost", server.getPort()).usePlaintext()
                .flowControlWindow(WINDOW).build();
    }

    /** Counts open calls, what the service hands over and receives, and what it is told about readiness. */
    private ServerInterceptor watchCalls() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                activeCalls.incrementAndGet();
                AtomicBoolean toldNotReady = new AtomicBoolean();
                ServerCall<Q, R> counted = new SimpleForwardingServerCall<>(call) {
                    @Override
                    public boolean isReady() {
                        boolean ready = super.isReady();
                        toldNotReady.set(!ready);
                        if (!ready) {
                            notReadyAt.accumulateAndGet(handedToTransport.get(), Math::max);
                        }
                        return ready;
                    }

                    @Override
                    public void sendMessage(R message) {
                        if (toldNotReady.get()) {
                            sentWhileNotReady.incrementAndGet();
                        }
                        handedToTransport.incrementAndGet();
                        super.sendMessage(message);
                    }
                };
                return new SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
                    @Override
                    public void onMessage(Q message) {
                        receivedByService.incrementAndGet();
                        super.onMessage(message);
                    }

                    @Override
                    public void onReady() {
                        toldNotReady.set(false);
                        super.onReady();
                    }

                    @Override
                    public void onComplete() {
                        activeCalls.decrementAndGet();
                        super.onComplete();
                    }

                    @Override
                    public void onCancel() {
                        activeCalls.decrementAndGet();
                        super.onCancel();
                    }
                };
            }
        };
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        pacing.destroy();
        assertThat(sentWhileNotReady.get()).as("replies handed over while the transport was not ready").isZero();
    }

    @Test
    void serverStreamStopsAtTheWindowForAClientThatDoesNotReadAndResumesWhenItReads() throws Exception {
        start(Collections.nCopies(MANY, BIG), Duration.ZERO);
        RecordingListener replies = new RecordingListener();
        ClientCall<ChatMessage, ChatMessage> call = startServerStream(replies);

        int buffered = awaitStalled(stallsAt(ChatService.message(BIG)));
        assertThat(buffered).isLessThan(BOUND);

        call.request(Integer.MAX_VALUE);
        assertThat(replies.status.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        assertThat(replies.received.get()).isEqualTo(MANY);
        awaitZero(activeCalls::get);
    }

    @Test
    void cancellingAStalledServerStreamReleasesIt() throws Exception {
        start(Collections.nCopies(MANY, BIG), Duration.ZERO);
        RecordingListener replies = new RecordingListener();
        ClientCall<ChatMessage, ChatMessage> call = startServerStream(replies);
        int buffered = awaitStalled(stallsAt(ChatService.message(BIG)));
        assertThat(activeCalls.get()).isEqualTo(1);

        call.cancel("client gone", null);

        awaitZero(activeCalls::get);
        assertThat(handedToTransport.get()).isEqualTo(buffered);
        assertThat(replies.status.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).getCode())
                .isEqualTo(Status.Code.CANCELLED);
    }

    /**
     * The client sends more than the window could ever carry, without waiting for readiness (grpc-java buffers
     * it), and reads nothing: the service answers until its replies fill the client's window and then reads no
     * more of the client's messages.
     */
    @Test
    void chatStopsReadingFromAClientThatDoesNotReadItsReplies() throws Exception {
        start(List.of("unused"), Duration.ZERO);
        RecordingListener replies = new RecordingListener();
        ClientCall<ChatMessage, ChatMessage> call = channel.newCall(ChatServiceGrpc.getChatMethod(), CallOptions.DEFAULT);
        call.start(replies, new Metadata());
        for (int i = 0; i < BOUND; i++) {
            call.sendMessage(ChatService.message(BIG));
        }

        int answered = awaitStalled(stallsAt(ChatService.message("Received: " + BIG)));
        assertThat(answered).isLessThan(BOUND);
        assertThat(receivedByService.get()).as("messages the service read").isEqualTo(answered);

        call.cancel("client gone", null);
        awaitZero(activeCalls::get);
        assertThat(handedToTransport.get()).isEqualTo(answered);
        assertThat(receivedByService.get()).isEqualTo(answered);
    }

    @Test
    void aDeadlineOrACancelStopsThePacingTimer() throws Exception {
        Duration interval = Duration.ofMillis(100);
        start(Collections.nCopies(MANY, "tick"), interval);

        Iterator<ChatMessage> paced = ChatServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(700, TimeUnit.MILLISECONDS)
                .serverStream(ChatService.message("start"));
        StatusRuntimeException ended = null;
        try {
            paced.forEachRemaining(reply -> { });
        } catch (StatusRuntimeException e) {
            ended = e;
        }
        assertThat(ended).isNotNull();
        assertThat(ended.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        awaitZero(activeCalls::get);
        awaitZero(pacing::pendingTicks);

        RecordingListener replies = new RecordingListener();
        ClientCall<ChatMessage, ChatMessage> call = startServerStream(replies);
        call.request(3);
        awaitAtLeast(replies.received::get, 3);
        call.cancel("enough", null);
        awaitZero(activeCalls::get);
        awaitZero(pacing::pendingTicks);
        int sentAfterCancel = handedToTransport.get();
        assertThat(sentAfterCancel).isLessThan(BOUND);
        // A latch on the pacing timer itself: its one thread runs ticks in the order they are due, so once a probe
        // due one interval from now has run, any tick a live stream would have scheduled has run before it.
        CountDownLatch probe = new CountDownLatch(1);
        pacing.after(interval, probe::countDown);
        assertThat(probe.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(handedToTransport.get()).as("replies after the cancel").isEqualTo(sentAfterCancel);
    }

    private ClientCall<ChatMessage, ChatMessage> startServerStream(RecordingListener replies) {
        ClientCall<ChatMessage, ChatMessage> call =
                channel.newCall(ChatServiceGrpc.getServerStreamMethod(), CallOptions.DEFAULT);
        call.start(replies, new Metadata());
        call.sendMessage(ChatService.message("start"));
        call.halfClose();
        return call;
    }

    /** The reply that cannot be written completely into the client's window: the one after those that fit. */
    private static int stallsAt(ChatMessage reply) {
        return WINDOW / (reply.getSerializedSize() + FRAME_HEADER) + 1;
    }

    /**
     * Waits until the service has been told "not ready" with {@code replies} handed over (from then on the transport
     * stays not ready, see the class comment) and returns how many were handed over: exactly that many.
     */
    private int awaitStalled(int replies) {
        await().atMost(TIMEOUT).until(notReadyAt::get, at -> at >= replies);
        assertThat(handedToTransport.get()).as("replies handed over when the window was full").isEqualTo(replies);
        return replies;
    }

    private static void awaitZero(IntSupplier value) {
        await().atMost(TIMEOUT).until(value::getAsInt, count -> count == 0);
    }

    private static void awaitAtLeast(IntSupplier value, int least) {
        await().atMost(TIMEOUT).until(value::getAsInt, count -> count >= least);
    }

    /** Counts replies without asking for any: the client reads only what the test requests. */
    private static final class RecordingListener extends ClientCall.Listener<ChatMessage> {

        final AtomicInteger received = new AtomicInteger();
        final CompletableFuture<Status> status = new CompletableFuture<>();

        @Override
        public void onMessage(ChatMessage message) {
            received.incrementAndGet();
        }

        @Override
        public void onClose(Status closed, Metadata trailers) {
            status.complete(closed);
        }
    }
}
