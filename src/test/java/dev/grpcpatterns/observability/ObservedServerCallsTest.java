package dev.grpcpatterns.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.Propagation;
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
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.binder.grpc.GrpcServerObservationContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
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

/**
 * In-process, no Spring: what {@link ObservedServerCalls} tells the observation handlers (which Boot's tracing
 * turns into the span). One observation per sampled call, named by the full method, with the message counts and
 * status when the call ends, completed or cancelled, and no per-message events; the service's code runs in its
 * scope. Sampling is decided before the observation: an unsampled call gets none, and Brave records the decision
 * taken (the caller's flag, else one draw of the sampler).
 */
class ObservedServerCallsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<GrpcServerObservationContext> stopped = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Boolean> inScope = new CopyOnWriteArrayList<>();
    private final ObservationRegistry registry = ObservationRegistry.create();
    private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();
    /** The configured sampler's answers, in order; "no" once they run out. */
    private final Queue<Boolean> draws = new ConcurrentLinkedQueue<>(List.of(true));
    private Tracing tracing;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        // Brave as Boot builds it: W3C propagation, the sampler wrapped by CallSampling, spans to a handler here.
        Propagation.Factory propagation = new W3CPropagation(new BraveBaggageManager(), List.of());
        CallSampling sampling = new CallSampling(propagation, new Sampler() {
            @Override
            public boolean isSampled(long traceId) {
                return Boolean.TRUE.equals(draws.poll());
            }
        });
        tracing = Tracing.newBuilder().propagationFactory(propagation).traceId128Bit(true)
                .sampler(sampling.tracerSampler())
                .addSpanHandler(new SpanHandler() {
                    @Override
                    public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                        spans.add(span);
                        return true;
                    }
                }).build();
        BraveTracer tracer = new BraveTracer(tracing.tracer(),
                new BraveCurrentTraceContext(tracing.currentTraceContext()), new BraveBaggageManager());
        registry.observationConfig().observationHandler(
                new PropagatingReceiverTracingObservationHandler<>(tracer, new BravePropagator(tracing)));
        registry.observationConfig().observationHandler(new ObservationHandler<GrpcServerObservationContext>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof GrpcServerObservationContext;
            }

            @Override
            public void onEvent(Observation.Event event, GrpcServerObservationContext context) {
                events.add(event.getName());
            }

            @Override
            public void onStop(GrpcServerObservationContext context) {
                stopped.add(context);
            }
        });
        // Chat echoes each message; the message "wait" is held until the client cancels.
        ChatServiceGrpc.ChatServiceImplBase service = new ChatServiceGrpc.ChatServiceImplBase() {
            @Override
            public StreamObserver<ChatMessage> chat(StreamObserver<ChatMessage> responses) {
                return new StreamObserver<>() {
                    @Override
                    public void onNext(ChatMessage message) {
                        inScope.add(registry.getCurrentObservation() != null);
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
                .addService(ServerInterceptors.intercept(service, new ObservedServerCalls(registry, sampling)))
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
    void aCompletedChatEndsItsObservationWithItsCountsAndStatus() throws InterruptedException {
        chat(ChatServiceGrpc.newStub(channel), "a", "b", "c");

        GrpcServerObservationContext context = theOnlyStopped();
        assertThat(context.getContextualName()).isEqualTo(ChatServiceGrpc.getChatMethod().getFullMethodName());
        assertThat(context.getStatusCode()).isEqualTo(Status.Code.OK);
        assertThat(tag(context, ObservedServerCalls.RECEIVED)).isEqualTo("3");
        assertThat(tag(context, ObservedServerCalls.SENT)).isEqualTo("3");
        assertThat(events).isEmpty();
        assertThat(inScope).containsExactly(true, true, true);
    }

    @Test
    void aCancelledChatEndsItsObservationAsCancelled() throws InterruptedException {
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

        GrpcServerObservationContext context = theOnlyStopped();
        assertThat(context.getStatusCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(context.isCancelled()).isTrue();
        assertThat(tag(context, ObservedServerCalls.RECEIVED)).isEqualTo("2");
        assertThat(tag(context, ObservedServerCalls.SENT)).isEqualTo("1");
        assertThat(events).isEmpty();
    }

    @Test
    void theSamplersOneDrawDecidesAndBraveRecordsIt() throws InterruptedException {
        chat(ChatServiceGrpc.newStub(channel), "a");
        theOnlyStopped();
        // The sampler said yes once and no since: Brave asked again for the same call would have dropped it.
        assertThat(draws).isEmpty();
        await().atMost(WAIT).until(() -> spans.size() == 1);
        assertThat(spans.get(0).kind()).isEqualTo(brave.Span.Kind.SERVER);
        assertThat(spans.get(0).name()).isEqualTo(ChatServiceGrpc.getChatMethod().getFullMethodName());

        // The next call, unsampled: answered as ever, and no observation, no span.
        chat(ChatServiceGrpc.newStub(channel), "b");
        assertThat(stopped).hasSize(1);
        assertThat(inScope).containsExactly(true, false);
        assertThat(spans).hasSize(1);
    }

    @Test
    void aCallersSampledFlagWinsOverTheSampler() throws InterruptedException {
        draws.clear();   // the sampler says no to everything
        String caller = "0af7651916cd43dd8448eb211c80319c";
        chat(withTraceparent("00-" + caller + "-b7ad6b7169203331-01"), "a");

        theOnlyStopped();
        await().atMost(WAIT).until(() -> spans.size() == 1);
        assertThat(spans.get(0).traceId()).isEqualTo(caller);
        assertThat(spans.get(0).parentId()).isEqualTo("b7ad6b7169203331");
    }

    @Test
    void aCallersUnsampledFlagWinsOverTheSampler() throws InterruptedException {
        draws.clear();
        draws.add(true);   // the sampler would say yes
        chat(withTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"), "a");

        assertThat(inScope).containsExactly(false);
        assertThat(draws).containsExactly(true);
        assertThat(stopped).isEmpty();
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

    private GrpcServerObservationContext theOnlyStopped() {
        // The server ends the observation when its side of the call is over, which may be just after the client's.
        await().atMost(WAIT).until(() -> !stopped.isEmpty());
        assertThat(stopped).hasSize(1);
        return stopped.get(0);
    }

    private static String tag(Observation.Context context, String key) {
        KeyValue value = context.getHighCardinalityKeyValue(key);
        return value == null ? null : value.getValue();
    }
}
