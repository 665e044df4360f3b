package dev.grpcpatterns.scaling;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.support.StreamEvents;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A few threads opening Chat streams one after another until stopped: each sends a few texts with a pause between
 * them, expects each answer, completes, and records how the stream ended. Nothing is retried.
 */
final class ChatLoad implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ChatServiceGrpc.ChatServiceStub chat;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, AtomicLong> ends = new ConcurrentHashMap<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private ChatLoad(ChatServiceGrpc.ChatServiceStub chat) {
        this.chat = chat;
    }

    static ChatLoad start(ChatServiceGrpc.ChatServiceStub chat, int threads) {
        ChatLoad load = new ChatLoad(chat);
        for (int i = 0; i < threads; i++) {
            int id = i;
            Thread thread = new Thread(() -> load.streamUntilStopped(id), "chat-load-" + i);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void streamUntilStopped(int id) {
        long stream = 0;
        while (running.get()) {
            try {
                Status end = oneStream("t" + id + "-" + stream++);
                String key = end.getCode() + (end.isOk() || end.getDescription() == null ? "" : ": " + end.getDescription());
                ends.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Status oneStream(String name) throws InterruptedException {
        StreamEvents<ChatMessage> events = new StreamEvents<>();
        StreamObserver<ChatMessage> requests = chat.withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS).chat(events);
        for (int i = 0; i < 5; i++) {
            String text = name + "-" + i;
            requests.onNext(ChatMessage.newBuilder().setMessageText(text).build());
            Object event = events.next(WAIT);
            if (event instanceof Status status) {
                return status;
            }
            if (!(event instanceof ChatMessage answer && answer.getMessageText().equals("Received: " + text))) {
                unexpected.add(name + ": '" + text + "' answered with " + event);
            }
            Thread.sleep(100);
        }
        requests.onCompleted();
        Object end = events.next(WAIT);
        if (end instanceof Status status) {
            return status;
        }
        unexpected.add(name + ": a message after the last answer: " + end);
        return (Status) events.next(WAIT);
    }

    /** How the streams ended: status code (and description unless OK) to count. */
    Map<String, Long> ends() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        ends.forEach((key, count) -> copy.put(key, count.get()));
        return copy;
    }

    long streams() {
        return ends.values().stream().mapToLong(AtomicLong::get).sum();
    }

    List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    /** Stops the threads after their current stream. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(WAIT.toMillis() * 2);
        }
    }
}
