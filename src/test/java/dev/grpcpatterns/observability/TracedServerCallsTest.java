package dev.grpcpatterns.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.context.slf4j.MDCScopeDecorator;
import brave.propagation.Propagation;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import brave.sampler.Sampler;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * In-process, no Spring, Brave built as Boot builds it: the spans {@link TracedServerCalls} reports. One server
 * span per sampled call, named by the full method, tagged with the method, the message counts and the status when
 * the call ends, completed or cancelled, with no per-message annotations; the service's code runs in its scope,
 * with the span's ids in the MDC. Sampling is decided before the span: an unsampled call gets none, and the
 * decision taken (the caller's flag, else one draw of the sampler) is the one Brave records.
 */
class TracedServerCallsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Per message the service sees: the trace and span ids in the MDC ("-" when there are none). */
    private final List<String> inScope = new CopyOnWriteArrayList<>();
    private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();
    /** The configured sampler's answers, in order; "no" once they run out. */
    private final Queue<Boolean> draws = new ConcurrentLinkedQueue<>(List.of(true));
    private Tracing tracing;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        // Brave as Boot builds it: W3C propagation, the trace and span ids in the MDC, spans to a handler here.
        Propagation.Factory propagation = new W3CPropagation(new BraveBaggageManager(), List.of());
        CallSampling sampling = new CallSampling(propagation, new Sampler() {
            @Override
            public boolean isSampled(long traceId) {
                return Boolean.TRUE.equals(draws.poll());
            }
        });
        tracing = Tracing.newBuilder().propagationFactory(propagation).traceId128Bit(true)
                .sampler(Sampler.NEVER_SAMPLE)   // the decision is CallSampling's: Brave is never asked
                .currentTraceContext(ThreadLocalCurrentTraceContext.newBuilder()
                        .addScopeDecorator(MDCScopeDecorator.get()).build())
                .addSpanHandler(new SpanHandler() {
                    @Override
                    public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                        spans.add(span);
                        return true;
                    }
                }).build();
        // Chat echoes each message; the message "wait" is held until the client cancels.
        ChatServiceGrpc.ChatServiceImplBase service = new ChatServiceGrpc.ChatServiceImplBase() {
            @Override
            public StreamObserver<ChatMessage> chat(StreamObserver<ChatMessage> responses) {
                return new StreamObserver<>() {
                    @Override
                    public void onNext(ChatMessage message) {
                        inScope.add(MDC.get("traceId") == null ? "-" : MDC.get("traceId") + "-" + MDC.get("spanId"));
                        if (!message.getMessageText().equals("wait")) {
                            responses.onNext(message);
                        }
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
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .addService(ServerInterceptors.intercept(service, new TracedServerCalls(tracing, sampling)))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        tracing.close();
    }

    @Test
    void aCompletedChatEndsItsSpanWithItsCountsAndStatus() throws InterruptedException {
        chat(ChatServiceGrpc.newStub(channel), "a", "b", "c");

        MutableSpan span = theOnlySpan();
        assertThat(span.kind()).isEqualTo(brave.Span.Kind.SERVER);
        assertThat(span.name()).isEqualTo(ChatServiceGrpc.getChatMethod().getFullMethodName());
        assertThat(span.tags()).containsEntry(TracedServerCalls.SERVICE, ChatServiceGrpc.SERVICE_NAME)
                .containsEntry(TracedServerCalls.METHOD, "Chat")
                .containsEntry(TracedServerCalls.TYPE, "BIDI_STREAMING")
                .containsEntry(TracedServerCalls.STATUS, "OK")
                .containsEntry(TracedServerCalls.RECEIVED, "3")
                .containsEntry(TracedServerCalls.SENT, "3");
        assertThat(span.annotationCount()).isZero();
        assertThat(span.error()).isNull();
        String ids = span.traceId() + "-" + span.id();
        assertThat(inScope).containsExactly(ids, ids, ids);
    }

    @Test
    void aCancelledChatEndsItsSpanAsCancelled() throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<ClientCallStreamObserver<ChatMessage>> call = new AtomicReference<>();
        StreamObserver<ChatMessage> requests = ChatServiceGrpc.newStub(channel).chat(
                new ClientResponseObserver<ChatMessage, ChatMessage>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<ChatMessage> requestStream) {
                        call.set(requestStream);
                    }

                    @Override
                    public void onNext(ChatMessage reply) {
                        // The echo of "a" is in: the server has seen one message and sent one.
                        call.get().onNext(ChatMessage.newBuilder().setMessageText("wait").build());
                    }

                    @Override
                    public void onError(Throwable error) {
                        ended.countDown();
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(ChatMessage.newBuilder().setMessageText("a").build());
        await().atMost(WAIT).until(() -> inScope.size() == 2);
        call.get().cancel("client gone", null);
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();

        MutableSpan span = theOnlySpan();
        assertThat(span.tags()).containsEntry(TracedServerCalls.STATUS, "CANCELLED")
                .containsEntry(TracedServerCalls.RECEIVED, "2")
                .containsEntry(TracedServerCalls.SENT, "1");
    }

    @Test
    void theSamplersOneDrawDecidesAndBraveRecordsIt() throws InterruptedException {
        chat(ChatServiceGrpc.newStub(channel), "a");
        MutableSpan span = theOnlySpan();
        // The sampler said yes once and no since; Brave's own sampler (never) was not asked.
        assertThat(draws).isEmpty();

        // The next call, unsampled: answered as ever, with no span and no ids in its log lines.
        chat(ChatServiceGrpc.newStub(channel), "b");
        assertThat(inScope).containsExactly(span.traceId() + "-" + span.id(), "-");
        assertThat(spans).hasSize(1);
    }

    @Test
    void aCallersSampledFlagWinsOverTheSampler() throws InterruptedException {
        draws.clear();   // the sampler says no to everything
        String caller = "0af7651916cd43dd8448eb211c80319c";
        chat(withTraceparent("00-" + caller + "-b7ad6b7169203331-01"), "a");

        MutableSpan span = theOnlySpan();
        assertThat(span.traceId()).isEqualTo(caller);
        assertThat(span.parentId()).isEqualTo("b7ad6b7169203331");
        assertThat(span.id()).isNotEqualTo("b7ad6b7169203331");
        assertThat(inScope).containsExactly(caller + "-" + span.id());
    }

    @Test
    void aCallersUnsampledFlagWinsOverTheSampler() throws InterruptedException {
        draws.clear();
        draws.add(true);   // the sampler would say yes
        chat(withTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"), "a");

        assertThat(inScope).containsExactly("-");
        assertThat(draws).containsExactly(true);
        assertThat(spans).isEmpty();
    }

    private ChatServiceGrpc.ChatServiceStub withTraceparent(String traceparent) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), traceparent);
        return ChatServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** One Chat of {@code texts}, completed; returns when the client has the server's completion. */
    private static void chat(ChatServiceGrpc.ChatServiceStub stub, String... texts) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<ChatMessage> requests = stub.chat(new StreamObserver<>() {
            @Override
            public void onNext(ChatMessage reply) {
            }

            @Override
            public void onError(Throwable error) {
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        for (String text : texts) {
            requests.onNext(ChatMessage.newBuilder().setMessageText(text).build());
        }
        requests.onCompleted();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private MutableSpan theOnlySpan() {
        // The server ends the span when its side of the call is over, which may be just after the client's.
        await().atMost(WAIT).until(() -> !spans.isEmpty());
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }
}
