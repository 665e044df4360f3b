package dev.grpcpatterns.observability;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zipkin2.reporter.ReporterMetrics;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;

/**
 * Sends the spans queued in Zipkin's handler in batches: as soon as {@value #BATCH} have been queued, and every
 * interval ({@link #INTERVAL} in the service) whatever is there, as many messages as it takes to empty the queue;
 * once more when the application closes, before it closes the handler. The handler is built without its own flush
 * thread ({@code messageTimeout(0)}) and reports here what it queues and holds ({@link ReporterMetrics}).
 *
 * <p>Why: that thread waits on a condition that zipkin-reporter signals for every span it queues. With sampled calls
 * a few thousand a second it is asleep at each one, so every sampled call paid a thread wake-up beside its span: at
 * 0.1, over a third of what tracing cost a unary call (docs/observability.md). Here a span costs a queue offer and a
 * count; a thread wakes once per batch. A batch is about one message (Boot's sender takes up to 500 KB, some 1,300
 * of this service's spans), and a tenth of the handler's queue (10,000 spans, the rest dropped), so a burst fills
 * messages long before it fills the queue.
 */
final class SpanBatchFlush implements ReporterMetrics, AutoCloseable {

    /** Spans queued that wake the flush. */
    static final int BATCH = 1_000;
    /** Boot's own {@code messageTimeout}: the longest a span waits in the queue. */
    static final Duration INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(SpanBatchFlush.class);

    private final Duration interval;
    private final AtomicInteger unsent = new AtomicInteger();
    private volatile int queued;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "zipkin-flush");
        thread.setDaemon(true);
        return thread;
    });
    private AsyncZipkinSpanHandler handler;

    SpanBatchFlush(Duration interval) {
        this.interval = interval;
    }

    /** Starts flushing {@code handler}, which must have been built with this as its metrics. */
    void start(AsyncZipkinSpanHandler handler) {
        this.handler = handler;
        long millis = interval.toMillis();
        flusher.scheduleWithFixedDelay(this::flush, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Sends what is queued, a message at a time (a flush sends at most one). */
    private void flush() {
        try {
            if (unsent.getAndSet(0) > 0 || queued > 0) {
                do {
                    handler.flush();
                } while (queued > 0);
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; a failed send is the handler's to count and log.
            log.warn("Flushing spans to Zipkin failed: {}", e.toString());
        }
    }

    /** Stops the flush, sends what is left and closes the handler (which drops what it still holds). */
    @Override
    public void close() throws InterruptedException {
        flusher.shutdown();
        flusher.awaitTermination(10, TimeUnit.SECONDS);
        if (handler != null) {
            flush();
            handler.close();
        }
    }

    // Called as a span is reported, before it is queued: the flush this starts may run before the span is in the
    // queue, and then it goes with the next batch or interval.
    @Override
    public void incrementSpans(int quantity) {
        if (unsent.addAndGet(quantity) == BATCH) {
            try {
                flusher.execute(this::flush);
            } catch (RejectedExecutionException closing) {
                // Closing: close() sends what is left.
            }
        }
    }

    @Override
    public void updateQueuedSpans(int update) {
        queued = update;
    }

    // The rest of zipkin-reporter's counters are not kept (its default keeps none).

    @Override
    public void incrementMessages() {
    }

    @Override
    public void incrementMessagesDropped(Throwable cause) {
    }

    @Override
    public void incrementSpanBytes(int quantity) {
    }

    @Override
    public void incrementMessageBytes(int quantity) {
    }

    @Override
    public void incrementSpansDropped(int quantity) {
    }

    @Override
    public void updateQueuedBytes(int update) {
    }
}
