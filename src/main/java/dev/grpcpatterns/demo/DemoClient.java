package dev.grpcpatterns.demo;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Runs the article's four flows over the network through the {@code demo} channel
 * ({@code grpc.client.demo.*}), handing each line the article prints to {@code out}.
 * Every call has a deadline; a failed call throws {@link io.grpc.StatusRuntimeException}.
 * {@link #runAll} is one observation ({@value #OBSERVATION}): with tracing on, the four calls' client spans, and the
 * server's spans under them, form one trace.
 * Lazy: with the demo off (the {@code prod} profile), its channel is never built, which saves start-up time.
 */
@Lazy
@Component
class DemoClient {

    @GrpcClient("demo")
    private GreeterGrpc.GreeterBlockingStub greeter;

    @GrpcClient("demo")
    private ChatServiceGrpc.ChatServiceBlockingStub chatBlocking;

    @GrpcClient("demo")
    private ChatServiceGrpc.ChatServiceStub chat;

    static final String OBSERVATION = "demo.run";

    private final DemoProperties properties;
    private final ObservationRegistry observations;

    DemoClient(DemoProperties properties, ObservationRegistry observations) {
        this.properties = properties;
        this.observations = observations;
    }

    void runAll(Consumer<String> out) throws InterruptedException {
        Observation.createNotStarted(OBSERVATION, observations).contextualName("demo").observeChecked(() -> {
            sayHello(out);
            serverStream(out);
            clientStream(out);
            chat(out);
        });
    }

    void sayHello(Consumer<String> out) {
        out.accept(greeter.withDeadline(deadline())
                .sayHello(HelloRequest.newBuilder().setName(properties.name()).build())
                .getResponseText());
    }

    void serverStream(Consumer<String> out) {
        chatBlocking.withDeadline(deadline())
                .serverStream(message(properties.serverStreamRequest()))
                .forEachRemaining(reply -> out.accept("Received message: " + reply.getMessageText()));
    }

    void clientStream(Consumer<String> out) throws InterruptedException {
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        Deadline deadline = deadline();
        StreamObserver<ChatMessage> requests = chat.withDeadline(deadline).clientStream(queueing(events));
        properties.clientStreamMessages().forEach(text -> requests.onNext(message(text)));
        requests.onCompleted();
        if (!(next(events, deadline) instanceof ChatMessage reply)) {
            throw Status.INTERNAL.withDescription("ClientStream completed without a reply").asRuntimeException();
        }
        out.accept(reply.getMessageText());
        expectCompletion(events, deadline);
    }

    /** Sends each text, prints its answer as it arrives, then pauses before the next, as the article does. */
    void chat(Consumer<String> out) throws InterruptedException {
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        Deadline deadline = deadline();
        StreamObserver<ChatMessage> requests = chat.withDeadline(deadline).chat(queueing(events));
        for (String text : properties.chatMessages()) {
            out.accept("Client Message: " + text);
            requests.onNext(message(text));
            if (!(next(events, deadline) instanceof ChatMessage answer)) {
                throw Status.INTERNAL.withDescription("Chat ended before answering '" + text + "'").asRuntimeException();
            }
            out.accept("Received message: " + answer.getMessageText());
            Thread.sleep(properties.chatPause().toMillis());
        }
        requests.onCompleted();
        expectCompletion(events, deadline);
    }

    /** Puts a call's answers, then {@link Status#OK} or its error, on {@code events} in the order they come. */
    private static StreamObserver<ChatMessage> queueing(BlockingQueue<Object> events) {
        return new StreamObserver<>() {
            @Override
            public void onNext(ChatMessage answer) {
                events.add(answer);
            }

            @Override
            public void onError(Throwable error) {
                events.add(error);
            }

            @Override
            public void onCompleted() {
                events.add(Status.OK);
            }
        };
    }

    private static void expectCompletion(BlockingQueue<Object> events, Deadline deadline) throws InterruptedException {
        if (next(events, deadline) != Status.OK) {
            throw Status.INTERNAL.withDescription("an answer nobody asked for").asRuntimeException();
        }
    }

    /** The next answer, completion ({@link Status#OK}) or error (thrown) of a call, waiting until its deadline. */
    private static Object next(BlockingQueue<Object> events, Deadline deadline) throws InterruptedException {
        Object next = events.poll(deadline.timeRemaining(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS);
        if (next == null) {
            throw Status.DEADLINE_EXCEEDED.withDescription("no answer before the deadline").asRuntimeException();
        }
        if (next instanceof Throwable error) {
            throw Status.fromThrowable(error).asRuntimeException();
        }
        return next;
    }

    private Deadline deadline() {
        return Deadline.after(properties.deadline().toNanos(), TimeUnit.NANOSECONDS);
    }

    private static ChatMessage message(String text) {
        return ChatMessage.newBuilder().setMessageText(text).build();
    }
}
