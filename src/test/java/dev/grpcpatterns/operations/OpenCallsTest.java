package dev.grpcpatterns.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * In-process, no Spring: ending open calls gives their clients the status, the service can't trip over it, and the
 * metrics count the call with that status.
 */
class OpenCallsTest {

    private static final String SERVER_STREAM = ChatServiceGrpc.getServerStreamMethod().getFullMethodName();

    private final OpenCalls openCalls = new OpenCalls();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BlockingQueue<ServerCallStreamObserver<ChatMessage>> serverSides = new LinkedBlockingQueue<>();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        // A ServerStream that never ends by itself, and a Chat that only ends when the client does.
        ChatServiceGrpc.ChatServiceImplBase service = new ChatServiceGrpc.ChatServiceImplBase() {
            @Override
            public void serverStream(ChatMessage request, StreamObserver<ChatMessage> responses) {
                responses.onNext(request);
                serverSides.add((ServerCallStreamObserver<ChatMessage>) responses);
            }

            @Override
            public StreamObserver<ChatMessage> chat(StreamObserver<ChatMessage> responses) {
                return new StreamObserver<>() {
                    @Override
                    public void onNext(ChatMessage message) {
                        responses.onNext(message);
                    }

                    @Override
                    public void onError(Throwable cancelled) {
                    }

                    @Override
                    public void onCompleted() {
                        responses.onCompleted();
                    }
                };
            }
        };
        server = InProcessServerBuilder.forName(name).directExecutor()
                // As net.devh orders them: the metrics interceptor (2500) outside OpenCalls (3000).
                .addService(ServerInterceptors.intercept(service, openCalls,
                        new MetricCollectingServerInterceptor(meters)))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void endsTheMatchingOpenCallsWithTheStatusAndDropsWhatTheServiceSendsAfter() throws Exception {
        Replies serverStream = new Replies();
        ChatServiceGrpc.newStub(channel).serverStream(message("first"), serverStream);
        Replies chat = new Replies();
        StreamObserver<ChatMessage> chatRequests = ChatServiceGrpc.newStub(channel).chat(chat);
        chatRequests.onNext(message("hello"));
        assertThat(chat.next()).isEqualTo(message("hello"));
        assertThat(serverStream.next()).isEqualTo(message("first"));

        assertThat(openCalls.end(SERVER_STREAM::equals, Status.UNAVAILABLE.withDescription("going away"))).isEqualTo(1);
        Object end = serverStream.next();
        assertThat(end).isInstanceOf(Status.class);
        assertThat(((Status) end).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(((Status) end).getDescription()).isEqualTo("going away");

        ServerCallStreamObserver<ChatMessage> serverSide = serverSides.poll(10, TimeUnit.SECONDS);
        assertThat(serverSide.isReady()).as("an ended call takes no more messages").isFalse();
        assertThatCode(() -> {
            serverSide.onNext(message("too late"));
            serverSide.onCompleted();
        }).doesNotThrowAnyException();
        assertThat(serverStream.replies).isEmpty();
        assertThat(meters.get("grpc.server.processing.duration").tag("method", "ServerStream")
                .tag("statusCode", "UNAVAILABLE").timer().count()).as("measured with the status it ended with").isOne();

        // The other call was not touched and ends normally, after which there is nothing left to end.
        chatRequests.onNext(message("still here"));
        assertThat(chat.next()).isEqualTo(message("still here"));
        chatRequests.onCompleted();
        assertThat(chat.next()).isEqualTo(Status.OK);
        assertThat(openCalls.end(method -> true, Status.UNAVAILABLE)).isZero();
    }

    private static ChatMessage message(String text) {
        return ChatMessage.newBuilder().setMessageText(text).build();
    }

    /** A client's view of one call: its messages, then the status it ended with. */
    private static final class Replies implements StreamObserver<ChatMessage> {

        private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();

        @Override
        public void onNext(ChatMessage message) {
            replies.add(message);
        }

        @Override
        public void onError(Throwable error) {
            replies.add(Status.fromThrowable(error));
        }

        @Override
        public void onCompleted() {
            replies.add(Status.OK);
        }

        Object next() throws InterruptedException {
            Object next = replies.poll(10, TimeUnit.SECONDS);
            assertThat(next).as("a reply or the end within 10s").isNotNull();
            return next;
        }
    }
}
