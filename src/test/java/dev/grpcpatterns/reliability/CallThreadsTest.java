package dev.grpcpatterns.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.support.ServiceTest;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.server.interceptor.GrpcGlobalServerInterceptor;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.test.context.TestPropertySource;

/**
 * Where a call's callbacks run, over a real port: its start on the executor's pool ({@code grpc-call-*}), never on
 * a Netty event loop; the messages that follow on the event loop that read them by default
 * ({@code reliability.executor.after-start: transport}), on the pool too with {@code pool}. Each Chat message is
 * sent only after the previous one's echo, so all but the first arrive after the call's start has run.
 */
@ServiceTest
@Import(CallThreadsTest.Recording.class)
class CallThreadsTest {

    private static final int MESSAGES = 20;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Value("${grpc.server.port}")
    private int grpcPort;

    @Autowired
    private ChatThreads threads;

    @Test
    void aChatStartsOnThePoolAndItsLaterMessagesRunOnTheEventLoopThatReadThem() throws Exception {
        List<String> seen = chat(grpcPort, threads);

        assertThat(seen.get(0)).startsWith("grpc-call-");
        assertThat(seen.get(seen.size() - 1)).contains("-worker-ELG-");
    }

    @Nested
    @TestPropertySource(properties = "reliability.executor.after-start=pool")
    class AfterStartOnThePool {

        @Value("${grpc.server.port}")
        private int grpcPort;

        @Autowired
        private ChatThreads threads;

        @Test
        void everyCallbackRunsOnThePool() throws Exception {
            assertThat(chat(grpcPort, threads)).allMatch(thread -> thread.startsWith("grpc-call-"));
        }
    }

    /** One Chat call of {@link #MESSAGES} echoes, one at a time: the threads of its start and its messages. */
    private static List<String> chat(int port, ChatThreads threads) throws Exception {
        threads.seen.clear();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
        try (ChatStreams.OpenChat chat = ChatStreams.open(channel)) {
            for (int i = 0; i < MESSAGES; i++) {
                chat.awaitEcho("m" + i, WAIT);
            }
            chat.complete(WAIT);
        } finally {
            channel.shutdownNow().awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(threads.seen).hasSize(1 + MESSAGES);
        return List.copyOf(threads.seen);
    }

    /** Outermost interceptor: the thread of a Chat call's start, then of each of its messages. */
    static final class ChatThreads implements ServerInterceptor {

        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            if (!call.getMethodDescriptor().equals(ChatServiceGrpc.getChatMethod())) {
                return next.startCall(call, headers);
            }
            seen.add(Thread.currentThread().getName());
            return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
                @Override
                public void onMessage(Q message) {
                    seen.add(Thread.currentThread().getName());
                    super.onMessage(message);
                }
            };
        }
    }

    @TestConfiguration
    static class Recording {

        @Bean
        @GrpcGlobalServerInterceptor
        @Order(Ordered.HIGHEST_PRECEDENCE)
        ChatThreads chatThreads() {
            return new ChatThreads();
        }
    }
}
