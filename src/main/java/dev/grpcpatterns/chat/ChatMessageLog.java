package dev.grpcpatterns.chat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The article's server line, {@code Client Message: <text>} at INFO for every Chat message, under the logger
 * {@value #LOGGER} (a logger of its own, so that it can be switched off alone: the prod profile does), bounded to
 * {@code perSecond} lines a second for the whole service. A person reads every message of a demo or a hand-typed
 * chat; under load the lines past the bound are counted instead, and the next line written says how many were left
 * out ({@code Client Message: 12345 more not logged}). Writing every line costs about half of Chat's throughput
 * (formatting the line, and a write to the console for each: docs/performance.md); the bound keeps that cost to a
 * few lines a second, and the count keeps the log honest about what it left out.
 */
final class ChatMessageLog {

    static final String LOGGER = "dev.grpcpatterns.chat.messages";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final long perSecond;
    private final LongSupplier nanoTime;
    private final AtomicLong windowStart;
    private final AtomicLong inWindow = new AtomicLong();
    private final AtomicLong notLogged = new AtomicLong();

    ChatMessageLog(int perSecond) {
        this(perSecond, System::nanoTime);
    }

    ChatMessageLog(int perSecond, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
        this.windowStart = new AtomicLong(nanoTime.getAsLong());
    }

    void received(String text) {
        if (!log.isInfoEnabled()) {
            return;
        }
        long now = nanoTime.getAsLong();
        long start = windowStart.get();
        if (now - start >= SECOND && windowStart.compareAndSet(start, now)) {
            inWindow.set(0);
        }
        if (inWindow.incrementAndGet() > perSecond) {
            notLogged.incrementAndGet();
            return;
        }
        long left = notLogged.getAndSet(0);
        if (left > 0) {
            log.info("Client Message: {} more not logged (chat.message-log.max-per-second)", left);
        }
        log.info("Client Message: {}", text);
    }
}
