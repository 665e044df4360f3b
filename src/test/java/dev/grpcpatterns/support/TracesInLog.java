package dev.grpcpatterns.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Log events that carry a stack trace or are at ERROR, whoever logged them, and exceptions no one caught (which a
 * thread prints to standard error, past the log): what bad input must never cause. A test class registers it
 * ({@code @RegisterExtension static final TracesInLog traces = new TracesInLog();}) and it watches while the class
 * runs.
 */
public final class TracesInLog extends AppenderBase<ILoggingEvent> implements BeforeAllCallback, AfterAllCallback {

    private final Queue<String> seen = new ConcurrentLinkedQueue<>();
    private Thread.UncaughtExceptionHandler previous;

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
        root().addAppender(this);
        previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, uncaught) -> {
            seen.add("uncaught in " + thread.getName() + ": " + uncaught);
            if (previous != null) {
                previous.uncaughtException(thread, uncaught);
            } else {
                uncaught.printStackTrace();
            }
        });
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Thread.setDefaultUncaughtExceptionHandler(previous);
        root().detachAppender(this);
        stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getThrowableProxy() != null || event.getLevel().isGreaterOrEqual(Level.ERROR)) {
            seen.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getClassName()));
        }
    }

    /** What was seen since the last call. */
    public List<String> drain() {
        List<String> drained = new ArrayList<>();
        for (String line; (line = seen.poll()) != null; ) {
            drained.add(line);
        }
        return drained;
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
