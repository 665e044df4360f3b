package dev.grpcpatterns.chat;

import static dev.grpcpatterns.chat.ChatServiceTest.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.support.StreamEvents;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A ServerStream paced at 10 s stops waiting the moment its call ends: the pending tick is gone long before
 * it would have fired. Fast, in-process, no Spring.
 */
class PacedServerStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final PacingTimer pacing = new PacingTimer();
    private Server server;
    private ManagedChannel channel;
    private ChatServiceGrpc.ChatServiceStub chat;

    @BeforeEach
    void startServer() throws Exception {
        ChatProperties properties = new ChatProperties(
                new ChatProperties.ServerStream(List.of("first", "second"), Duration.ofSeconds(10)),
                new ChatProperties.ClientStream(10, 100), new ChatProperties.MessageLog(20));
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new ChatService(properties, pacing)).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        chat = ChatServiceGrpc.newStub(channel);
    }

    @AfterEach
    void stopServer() {
        channel.shutdownNow();
        server.shutdownNow();
        pacing.destroy();
    }

    @Test
    void cancellingTheCallStopsThePacing() throws Exception {
        StreamEvents<ChatMessage> events = new StreamEvents<>();
        Context.CancellableContext call = Context.current().withCancellation();
        call.run(() -> chat.serverStream(message("start"), events));

        assertThat(events.next(WAIT)).isEqualTo(message("first"));
        assertThat(pacing.pendingTicks()).isEqualTo(1);

        call.cancel(null);
        await().atMost(Duration.ofSeconds(2)).until(() -> pacing.pendingTicks() == 0);
        assertThat(((Status) events.next(WAIT)).getCode()).isEqualTo(Status.Code.CANCELLED);
    }

    @Test
    void aPassedDeadlineStopsThePacing() throws Exception {
        StreamEvents<ChatMessage> events = new StreamEvents<>();
        chat.withDeadlineAfter(300, TimeUnit.MILLISECONDS).serverStream(message("start"), events);

        assertThat(events.next(WAIT)).isEqualTo(message("first"));
        assertThat(((Status) events.next(WAIT)).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        await().atMost(Duration.ofSeconds(2)).until(() -> pacing.pendingTicks() == 0);
    }
}
