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
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flow control, deadlines and cancellation of the streaming patterns over a real Netty port. The measure is
 * how many replies the service has handed to the transport: against a client that does not read, that count
 * must stop at what the HTTP/2 window holds, not grow with what the service would like to send.
 */
class FlowControlTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String BIG = "x".repeat(64 * 1024);
    private static final int MANY = 2000;
    /** 2000 replies of 64 KiB are 128 MiB; the 1 MiB HTTP/2 window holds 16 of them (measured: 16). */
    private static final int BOUND = 100;

    private final AtomicInteger handedToTransport = new AtomicInteger();
    /** Calls the server started and has not yet seen end: completed, or cancelled (deadline, client, connection). */
    private final AtomicInteger activeCalls = new AtomicInteger();
    private final PacingTimer pacing = new PacingTimer();
    private Server server;
    private ManagedChannel channel;

    private void start(List<String> serverStreamMessages, Duration interval) throws Exception {
        ChatProperties properties = new ChatProperties(
                new ChatProperties.ServerStream(serverStreamMessages, interval),
                new ChatProperties.ClientStream(10, 1000), new ChatProperties.MessageLog(20));
        ServerInterceptor countSends = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                return next.startCall(new SimpleForwardingServerCall<>(call) {
                    @Override
                    public void sendMessage(R message) {
                        handedToTransport.incrementAndGet();
                        super.sendMessage(message);
                    }
                }, headers);
            }
        };
        ServerInterceptor countActive = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                activeCalls.incrementAndGet();
                return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
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
        server = NettyServerBuilder.forPort(0)
                .addService(ServerInterceptors.intercept(new ChatService(properties, pacing), countSends, countActive))
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress("localhost", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        pacing.destroy();
    }

    @Test
    void serverStreamStopsAtTheWindowForAClientThatDoesNotReadAndResumesWhenItReads() throws Exception {
        start(Collections.nCopies(MANY, BIG), Duration.ZERO);
        RecordingListener replies = new RecordingListener();
        ClientCall<ChatMessage, ChatMessage> call = startServerStream(replies);

        int buffered = awaitSteady(handedToTransport::get);
        assertThat(buffered).isPositive().isLessThan(BOUND);

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
        int buffered = awaitSteady(handedToTransport::get);
        assertThat(activeCalls.get()).isEqualTo(1);

        call.cancel("client gone", null);

        awaitZero(activeCalls::get);
        assertThat(handedToTransport.get()).isEqualTo(buffered);
        assertThat(replies.status.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).getCode())
                .isEqualTo(Status.Code.CANCELLED);
    }

    @Test
    void chatStopsReadingFromAClientThatDoesNotReadItsReplies() throws Exception {
        start(List.of("unused"), Duration.ZERO);
        RecordingListener replies = new RecordingListener();
        ClientCall<ChatMessage, ChatMessage> call = channel.newCall(ChatServiceGrpc.getChatMethod(), CallOptions.DEFAULT);
        call.start(replies, new Metadata());

        // Send while the transport takes more; once the server stops reading, it stops taking them.
        int sent = 0;
        while (sent < MANY) {
            if (call.isReady()) {
                call.sendMessage(ChatService.message(BIG));
                sent++;
            } else if (!replies.ready.tryAcquire(3, TimeUnit.SECONDS) && !call.isReady()) {
                break;
            }
        }
        int answered = awaitSteady(handedToTransport::get);

        assertThat(sent).isLessThan(BOUND);
        assertThat(answered).isPositive().isLessThan(BOUND);

        call.cancel("client gone", null);
        awaitZero(activeCalls::get);
        assertThat(handedToTransport.get()).isEqualTo(answered);
    }

    @Test
    void aDeadlineOrACancelStopsThePacingTimer() throws Exception {
        start(Collections.nCopies(MANY, "tick"), Duration.ofMillis(100));

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
        // Were the timer still running, a tick would be due every 100 ms.
        assertThat(awaitSteady(handedToTransport::get)).isEqualTo(sentAfterCancel);
    }

    private ClientCall<ChatMessage, ChatMessage> startServerStream(RecordingListener replies) {
        ClientCall<ChatMessage, ChatMessage> call =
                channel.newCall(ChatServiceGrpc.getServerStreamMethod(), CallOptions.DEFAULT);
        call.start(replies, new Metadata());
        call.sendMessage(ChatService.message("start"));
        call.halfClose();
        return call;
    }

    /** Polls until the value is positive and has not changed for two seconds, and returns it. */
    private static int awaitSteady(IntSupplier value) throws InterruptedException {
        awaitAtLeast(value, 1);
        Instant end = Instant.now().plus(TIMEOUT);
        int last = value.getAsInt();
        int unchangedPolls = 0;
        while (unchangedPolls < 20) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("still changing after " + TIMEOUT + ": " + last);
            }
            Thread.sleep(100);
            int now = value.getAsInt();
            unchangedPolls = now == last ? unchangedPolls + 1 : 0;
            last = now;
        }
        return last;
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
        final Semaphore ready = new Semaphore(0);

        @Override
        public void onMessage(ChatMessage message) {
            received.incrementAndGet();
        }

        @Override
        public void onReady() {
            ready.release();
        }

        @Override
        public void onClose(Status closed, Metadata trailers) {
            status.complete(closed);
        }
    }
}
