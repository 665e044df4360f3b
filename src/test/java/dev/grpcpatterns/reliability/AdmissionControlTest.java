package dev.grpcpatterns.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.proto.v1.HelloResponse;
import dev.grpcpatterns.support.ServiceTest;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.devh.boot.grpc.server.interceptor.GrpcGlobalServerInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/**
 * Admission control over a real port, with a fixed limit of 3, 5 open streams and one executor thread: calls
 * that hold their permit (a unary call whose request never ends) fill the limit, one of them blocking the only
 * thread so that the others wait in its queue, then a bounded flood is rejected at once, without waiting in that
 * queue, while gRPC health and readiness answer; permits come back on cancel and deadline; a stream holds one only
 * while it starts. Every admitted call starts on the service's executor, never on a Netty event loop; rejections
 * and health checks are answered by the event loop that read them.
 */
@ServiceTest
@TestPropertySource(properties = {
        "reliability.admission.enabled=true",
        "reliability.admission.limit=fixed",
        "reliability.admission.max-limit=3",
        "reliability.admission.max-open-streams=5",
        "reliability.admission.retry-pushback=250ms",
        "reliability.executor.threads=1"
})
class AdmissionControlTest {

    private static final int LIMIT = 3;
    private static final int FLOOD = 200;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SAY_HELLO = GreeterGrpc.getSayHelloMethod().getFullMethodName();
    private static final Metadata.Key<String> BLOCK = Metadata.Key.of("x-test-block", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> PUSHBACK =
            Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

    @Value("${grpc.server.port}")
    private int grpcPort;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private TestRestTemplate http;

    @Autowired
    private ThreadsSeen threadsSeen;

    @Autowired
    private BlockingStart blockingStart;

    private ManagedChannel channel;
    private final List<ClientCall<?, ?>> held = new ArrayList<>();

    @BeforeEach
    void connect() {
        blockingStart.arm();
        threadsSeen.clear();
        channel = NettyChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
    }

    @AfterEach
    void release() throws InterruptedException {
        blockingStart.release.countDown();
        held.forEach(call -> call.cancel("test over", null));
        await().atMost(WAIT).until(() -> gauge("grpc.server.admission.in.flight") == 0
                && gauge("grpc.server.admission.open.streams") == 0);
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        // Each admitted call started on the executor's thread (CallThreadsTest: where its later callbacks run);
        // rejections and health checks were answered on the transport's thread that read them (Netty's event
        // loop), never queued for the executor.
        assertThat(threadsSeen.admittedStarts).isNotEmpty().allMatch(name -> name.startsWith("grpc-call-"));
        assertThat(threadsSeen.answeredOnArrival).allMatch(name -> name.contains("-worker-ELG-"));
    }

    @Test
    void aFloodPastTheLimitIsRejectedAtOnceWhileHealthAndReadinessAnswer() {
        // The first held call blocks the executor's only thread as it starts; the next two wait in its queue.
        Metadata blocking = new Metadata();
        blocking.put(BLOCK, "yes");
        held.add(holdOpen(GreeterGrpc.getSayHelloMethod(), HelloRequest.newBuilder().setName("held").build(),
                new CompletableFuture<>(), blocking));
        await().atMost(WAIT).until(() -> blockingStart.blocked.getCount() == 0);
        for (int i = 1; i < LIMIT; i++) {
            held.add(holdOpen(GreeterGrpc.getSayHelloMethod(), HelloRequest.newBuilder().setName("held").build(),
                    new CompletableFuture<>()));
        }
        await().atMost(WAIT).until(() -> gauge("grpc.server.admission.in.flight") == LIMIT
                && meters.get("executor.queued").tag("name", "grpc-server").gauge().value() == LIMIT - 1);
        double rejectedBefore = rejected(SAY_HELLO, "limit");

        List<CompletableFuture<Ended>> flood = new ArrayList<>();
        List<CompletableFuture<Ended>> health = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
            flood.add(unary(GreeterGrpc.getSayHelloMethod(), HelloRequest.newBuilder().setName("flood").build()));
            if (i % 10 == 0) {
                health.add(unary(HealthGrpc.getCheckMethod(), HealthCheckRequest.getDefaultInstance()));
            }
        }
        ResponseEntity<String> readiness = http.getForEntity("/actuator/health/readiness", String.class);

        // Every rejection and health check is answered while the executor's thread is still blocked: none of
        // them waited in its queue.
        CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new))
                .thenCompose(done -> CompletableFuture.allOf(health.toArray(CompletableFuture[]::new)))
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(blockingStart.release.getCount()).isEqualTo(1);
        assertThat(meters.get("executor.queued").tag("name", "grpc-server").gauge().value()).isEqualTo(LIMIT - 1);
        List<Ended> floodEnds = flood.stream().map(CompletableFuture::join).toList();
        await().atMost(WAIT).until(() -> !threadsSeen.answeredOnArrival.isEmpty());
        assertThat(floodEnds).allSatisfy(end -> {
            assertThat(end.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(end.status().getDescription()).isEqualTo("server overloaded, " + SAY_HELLO
                    + " not admitted (3 calls in progress, the current limit 3); retry in 250 ms");
            assertThat(end.trailers().get(PUSHBACK)).isEqualTo("250");
        });
        assertThat(health).allSatisfy(check -> {
            Ended end = check.join();
            assertThat(end.status().isOk()).isTrue();
            assertThat(((HealthCheckResponse) end.reply()).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        });
        assertThat(readiness.getStatusCode().value()).isEqualTo(200);
        assertThat(readiness.getBody()).contains("\"UP\"");

        assertThat(rejected(SAY_HELLO, "limit") - rejectedBefore).isEqualTo(FLOOD);
        assertThat(gauge("grpc.server.admission.limit")).isEqualTo(LIMIT);
        assertThat(http.getForObject("/actuator/prometheus", String.class))
                .contains("grpc_server_admission_rejected_total{method=\"" + SAY_HELLO + "\",reason=\"limit\"}")
                .contains("grpc_server_admission_in_flight " + LIMIT + ".0")
                .contains("executor_queued_tasks{name=\"grpc-server\"}");

        // The held calls give their permits back when cancelled, and calls are admitted again.
        blockingStart.release.countDown();
        held.forEach(call -> call.cancel("done holding", null));
        await().atMost(WAIT).until(() -> gauge("grpc.server.admission.in.flight") == 0);
        Ended served = unary(GreeterGrpc.getSayHelloMethod(), HelloRequest.newBuilder().setName("again").build()).join();
        assertThat(((HelloResponse) served.reply()).getResponseText()).isEqualTo("Hello, again!");
    }

    @Test
    void aStreamHoldsItsPermitWhileStartingOnlyAndGivesItBackAtItsDeadline() {
        // Started server streams (request sent and half-closed) are paced: open, but holding no permit.
        List<CompletableFuture<Ended>> paced = new ArrayList<>();
        List<CompletableFuture<Object>> firstReplies = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            CompletableFuture<Object> first = new CompletableFuture<>();
            firstReplies.add(first);
            paced.add(call(ChatServiceGrpc.getServerStreamMethod(), ChatMessage.newBuilder().setMessageText("go").build(),
                    first));
        }
        firstReplies.forEach(CompletableFuture::join);
        // The first reply goes out inside onHalfClose; the permit comes back as that returns.
        await().atMost(WAIT).until(() -> gauge("grpc.server.admission.in.flight") == 0);
        Ended admittedMeanwhile = unary(GreeterGrpc.getSayHelloMethod(),
                HelloRequest.newBuilder().setName("beside streams").build()).join();
        assertThat(admittedMeanwhile.status().isOk()).isTrue();
        paced.forEach(stream -> assertThat(stream.join().status().isOk()).isTrue());

        // A server stream whose request never ends holds its permit until its deadline passes.
        CompletableFuture<Ended> unfinished = new CompletableFuture<>();
        ClientCall<ChatMessage, ChatMessage> call = channel.newCall(ChatServiceGrpc.getServerStreamMethod(),
                CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.SECONDS));
        call.start(new Collecting<>(unfinished), new Metadata());
        call.request(1);
        call.sendMessage(ChatMessage.newBuilder().setMessageText("never half-closed").build());
        await().atMost(WAIT).until(() -> gauge("grpc.server.admission.in.flight") == 1);
        assertThat(unfinished.join().status().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        await().atMost(WAIT).until(() -> gauge("grpc.server.admission.in.flight") == 0
                && gauge("grpc.server.admission.open.streams") == 0);
    }

    @Test
    void openStreamsPastTheirBoundAreRejectedUntilOneEnds() {
        // One after the other (each answered before the next starts): five starting at once would exceed the
        // limit of 3 calls starting.
        for (int i = 0; i < 5; i++) {
            CompletableFuture<Object> answered = new CompletableFuture<>();
            held.add(holdOpen(ChatServiceGrpc.getChatMethod(), ChatMessage.newBuilder().setMessageText("open").build(),
                    answered));
            answered.join();
        }
        assertThat(gauge("grpc.server.admission.open.streams")).isEqualTo(5);
        // The streams hold no permit: unary calls still get in.
        assertThat(gauge("grpc.server.admission.in.flight")).isZero();
        assertThat(unary(GreeterGrpc.getSayHelloMethod(), HelloRequest.newBuilder().setName("unary").build())
                .join().status().isOk()).isTrue();

        Ended sixth = unary(ChatServiceGrpc.getChatMethod(), ChatMessage.newBuilder().setMessageText("sixth").build())
                .join();
        assertThat(sixth.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(sixth.status().getDescription()).contains("(5 streams open, the most allowed)");

        held.remove(0).cancel("make room", null);
        await().atMost(WAIT).until(() -> gauge("grpc.server.admission.open.streams") == 4);
        Ended next = unary(ChatServiceGrpc.getChatMethod(), ChatMessage.newBuilder().setMessageText("next").build()).join();
        assertThat(next.status().isOk()).isTrue();
        assertThat(((ChatMessage) next.reply()).getMessageText()).isEqualTo("Received: next");
    }

    /** Starts a call and sends its request, but never half-closes it: it stays open on the server. */
    private <Q, R> ClientCall<Q, R> holdOpen(MethodDescriptor<Q, R> method, Q request,
            CompletableFuture<Object> first) {
        return holdOpen(method, request, first, new Metadata());
    }

    private <Q, R> ClientCall<Q, R> holdOpen(MethodDescriptor<Q, R> method, Q request,
            CompletableFuture<Object> first, Metadata headers) {
        ClientCall<Q, R> call = channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS));
        call.start(new Collecting<>(new CompletableFuture<>(), first), headers);
        call.request(1);
        call.sendMessage(request);
        return call;
    }

    /** One request, half-closed; ends with the status, trailers and the first reply. */
    private <Q, R> CompletableFuture<Ended> unary(MethodDescriptor<Q, R> method, Q request) {
        return call(method, request, new CompletableFuture<>());
    }

    /** The same, completing {@code first} with the first reply as it arrives. */
    private <Q, R> CompletableFuture<Ended> call(MethodDescriptor<Q, R> method, Q request,
            CompletableFuture<Object> first) {
        CompletableFuture<Ended> ended = new CompletableFuture<>();
        ClientCall<Q, R> call = channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
        call.start(new Collecting<>(ended, first), new Metadata());
        call.request(Integer.MAX_VALUE);
        call.sendMessage(request);
        call.halfClose();
        return ended;
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private double rejected(String method, String reason) {
        var counter = meters.find("grpc.server.admission.rejected").tags("method", method, "reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    record Ended(Status status, Metadata trailers, Object reply) {
    }

    private static final class Collecting<R> extends ClientCall.Listener<R> {

        private final CompletableFuture<Ended> ended;
        private final CompletableFuture<Object> first;

        Collecting(CompletableFuture<Ended> ended, CompletableFuture<Object> first) {
            this.ended = ended;
            this.first = first;
        }

        Collecting(CompletableFuture<Ended> ended) {
            this(ended, new CompletableFuture<>());
        }

        @Override
        public void onMessage(R message) {
            first.complete(message);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            ended.complete(new Ended(status, trailers, first.getNow(null)));
        }
    }

    /**
     * Outermost interceptor: the name of the thread that starts each admitted call, and of every thread that runs
     * a call's start or one of its callbacks for those answered on arrival (rejected with
     * {@code RESOURCE_EXHAUSTED}, health checks).
     */
    static final class ThreadsSeen implements ServerInterceptor {

        final Set<String> admittedStarts = ConcurrentHashMap.newKeySet();
        final Set<String> answeredOnArrival = ConcurrentHashMap.newKeySet();

        void clear() {
            admittedStarts.clear();
            answeredOnArrival.clear();
        }

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            String started = Thread.currentThread().getName();
            Set<String> threads = ConcurrentHashMap.newKeySet();
            threads.add(started);
            AtomicBoolean onArrival = new AtomicBoolean(
                    HealthGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName()));
            ServerCall<Q, R> watched = new SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                        onArrival.set(true);
                    }
                    super.close(status, trailers);
                }
            };
            return new SimpleForwardingServerCallListener<>(next.startCall(watched, headers)) {
                @Override
                public void onMessage(Q message) {
                    threads.add(Thread.currentThread().getName());
                    super.onMessage(message);
                }

                @Override
                public void onHalfClose() {
                    threads.add(Thread.currentThread().getName());
                    super.onHalfClose();
                }

                @Override
                public void onReady() {
                    threads.add(Thread.currentThread().getName());
                    super.onReady();
                }

                @Override
                public void onCancel() {
                    threads.add(Thread.currentThread().getName());
                    super.onCancel();
                    ended();
                }

                @Override
                public void onComplete() {
                    threads.add(Thread.currentThread().getName());
                    super.onComplete();
                    ended();
                }

                private void ended() {
                    if (onArrival.get()) {
                        answeredOnArrival.addAll(threads);
                    } else {
                        admittedStarts.add(started);
                    }
                }
            };
        }
    }

    /** Blocks the thread that starts a call carrying {@code x-test-block}, until the test releases it. */
    static final class BlockingStart implements ServerInterceptor {

        volatile CountDownLatch blocked;
        volatile CountDownLatch release;

        /** Before each test: the next call carrying the header blocks again. */
        void arm() {
            blocked = new CountDownLatch(1);
            release = new CountDownLatch(1);
        }

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            if (headers.containsKey(BLOCK)) {
                blocked.countDown();
                try {
                    // Longer than the test waits for the flood: a rejection queued behind this never passes.
                    release.await(2 * WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return next.startCall(call, headers);
        }
    }

    @TestConfiguration
    static class Threads {

        @Bean
        @GrpcGlobalServerInterceptor
        @Order(Ordered.HIGHEST_PRECEDENCE)
        ThreadsSeen threadsSeen() {
            return new ThreadsSeen();
        }

        @Bean
        @GrpcGlobalServerInterceptor
        @Order(Ordered.HIGHEST_PRECEDENCE + 1)
        BlockingStart blockingStart() {
            return new BlockingStart();
        }
    }
}
