package dev.grpcpatterns.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler.Cause;
import brave.propagation.TraceContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;

/**
 * zipkin-reporter's own handler, built as {@link ZipkinSpansInBatches} builds it, sending to a sender that records
 * each message: a batch goes out as soon as it is complete, fewer spans at the interval, what is left when the flush
 * closes; and the handler runs no flush thread of its own.
 */
class SpanBatchFlushTest {

    private static final Duration NEVER = Duration.ofHours(1);

    /** The spans of each message sent, in order. */
    private final List<Integer> messages = new CopyOnWriteArrayList<>();
    private SpanBatchFlush flush;
    private AsyncZipkinSpanHandler handler;

    private void start(Duration interval) {
        flush = new SpanBatchFlush(interval);
        handler = AsyncZipkinSpanHandler.newBuilder(new BytesMessageSender.Base(Encoding.JSON) {
            @Override
            public int messageMaxBytes() {
                return 500_000;
            }

            @Override
            public void send(List<byte[]> spans) {
                messages.add(spans.size());
            }

            @Override
            public void close() {
            }
        }).messageTimeout(0, TimeUnit.MILLISECONDS).metrics(flush).build();
        flush.start(handler);
    }

    @AfterEach
    void close() throws InterruptedException {
        flush.close();
    }

    @Test
    void aCompleteBatchIsSentWithoutWaitingForTheInterval() {
        start(NEVER);
        report(SpanBatchFlush.BATCH);
        // The handler counts a span before it queues it: the flush the last one starts may send it, or run first.
        await().atMost(Duration.ofSeconds(10)).until(() -> sent() >= SpanBatchFlush.BATCH - 1);
        assertThat(messages).hasSize(1);
    }

    @Test
    void fewerSpansAreSentAtTheInterval() {
        start(Duration.ofMillis(100));
        report(5);
        await().atMost(Duration.ofSeconds(10)).until(() -> sent() == 5);
    }

    @Test
    void closingSendsWhatIsLeftFirst() throws InterruptedException {
        start(NEVER);
        report(SpanBatchFlush.BATCH + 10);
        flush.close();
        assertThat(sent()).isEqualTo(SpanBatchFlush.BATCH + 10);
    }

    @Test
    void theHandlerRunsNoFlushThreadOfItsOwn() {
        start(NEVER);
        report(1);
        assertThat(Thread.getAllStackTraces().keySet()).map(Thread::getName)
                .contains("zipkin-flush")
                .noneMatch(name -> name.startsWith("AsyncReporter"));
    }

    private void report(int spans) {
        for (int i = 1; i <= spans; i++) {
            TraceContext context = TraceContext.newBuilder().traceId(1).spanId(i).sampled(true).build();
            MutableSpan span = new MutableSpan(context, null);
            span.name("grpcpatterns.v1.Greeter/SayHello");
            span.startTimestamp(1_000_000L * i);
            span.finishTimestamp(1_000_000L * i + 100);
            handler.end(context, span, Cause.FINISHED);
        }
    }

    private int sent() {
        return messages.stream().mapToInt(Integer::intValue).sum();
    }
}
