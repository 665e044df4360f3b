package dev.grpcpatterns.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.support.StreamEvents;
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
import java.time.Duration;
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

    private static final Duration WAIT = Duration.ofSeconds(10);
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
        StreamEvents<ChatMessage> serverStream = new StreamEvents<>();
        ChatServiceGrpc.newStub(channel).serverStream(message("first"), serverStream);
        StreamEvents<ChatMessage> chat = new StreamEvents<>();
        StreamObserver<ChatMessage> chatRequests = ChatServiceGrpc.newStub(channel).chat(chat);
        chatRequests.onNext(message("hello"));
        assertThat(chat.next(WAIT)).isEqualTo(message("hello"));
        assertThat(serverStream.next(WAIT)).isEqualTo(message("first"));

        assertThat(openCalls.end(SERVER_STREAM::equals, Status.UNAVAILABLE.withDescription("going away"))).isEqualTo(1);
        Object end = serverStream.next(WAIT);
        assertThat(end).isInstanceOf(Status.class);
        assertThat(((Status) end).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(((Status) end).getDescription()).isEqualTo("going away");

        ServerCallStreamObserver<ChatMessage> serverSide = serverSides.poll(10, TimeUnit.SECONDS);
        assertThat(serverSide.isReady()).as("an ended call takes no more messages").isFalse();
        assertThatCode(() -> {
            serverSide.onNext(message("too late"));
            serverSide.onCompleted();
        }).doesNotThrowAnyException();
        assertThat(serverStream.isEmpty()).isTrue();
        assertThat(meters.get("grpc.server.processing.duration").tag("method", "ServerStream")
                .tag("statusCode", "UNAVAILABLE").timer().count()).as("measured with the status it ended with").isOne();

        // The other call was not touched and ends normally, after which there is nothing left to end.
        chatRequests.onNext(message("still here"));
        assertThat(chat.next(WAIT)).isEqualTo(message("still here"));
        chatRequests.onCompleted();
        assertThat(chat.next(WAIT)).isEqualTo(Status.OK);
        assertThat(openCalls.end(method -> true, Status.UNAVAILABLE)).isZero();
    }

    private static ChatMessage message(String text) {
        return ChatMessage.newBuilder().setMessageText(text).build();
    }
}
