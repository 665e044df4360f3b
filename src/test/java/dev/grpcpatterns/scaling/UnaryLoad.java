package dev.grpcpatterns.scaling;

import dev.grpcpatterns.demo.DemoFlows;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** A few threads calling the demo's SayHello back to back until stopped, counting answers and failures. */
final class UnaryLoad implements AutoCloseable {

    private final DemoFlows demo;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong answered = new AtomicLong();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private UnaryLoad(DemoFlows demo) {
        this.demo = demo;
    }

    static UnaryLoad start(DemoFlows demo, int threads) {
        UnaryLoad load = new UnaryLoad(demo);
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(load::callUntilStopped, "unary-load-" + i);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void callUntilStopped() {
        while (running.get()) {
            try {
                demo.sayHello(text -> {
                    if (!text.equals("Hello, Hyeonghwan!")) {
                        failures.add("unexpected answer: " + text);
                    }
                });
                answered.incrementAndGet();
            } catch (RuntimeException e) {
                failures.add(e.toString());
            }
        }
    }

    long answered() {
        return answered.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Waits until {@code more} calls beyond those answered so far have been answered. */
    void awaitMoreAnswers(long more, Duration timeout) throws InterruptedException {
        long target = answered.get() + more;
        Instant end = Instant.now().plus(timeout);
        while (answered.get() < target) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("only " + answered.get() + " of " + target + " answers within " + timeout
                        + "; failures: " + failures);
            }
            Thread.sleep(20);
        }
    }

    /** Stops the threads after their current call. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(60).toMillis());
        }
    }
}
