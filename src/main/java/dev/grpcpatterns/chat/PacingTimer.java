package dev.grpcpatterns.chat;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Wakes a paced ServerStream when its next message is due, so no gRPC thread sleeps between messages.
 * One thread is enough: a tick only hands a message to the transport. It is deliberately not an
 * {@code Executor} bean, which would switch off Spring Boot's own task executor. Public, as the services are:
 * the benchmark's peers build the very same ChatService on other servers.
 */
@Component
public class PacingTimer implements DisposableBean {

    private final ScheduledThreadPoolExecutor timer;

    public PacingTimer() {
        CustomizableThreadFactory threads = new CustomizableThreadFactory("chat-pacing-");
        threads.setDaemon(true);
        timer = new ScheduledThreadPoolExecutor(1, threads);
        // A cancelled stream's tick leaves the queue at once instead of when it would have run.
        timer.setRemoveOnCancelPolicy(true);
    }

    ScheduledFuture<?> after(Duration delay, Runnable tick) {
        return timer.schedule(tick, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** How many streams are waiting for their next message; a cancelled stream waits for none. */
    int pendingTicks() {
        return timer.getQueue().size();
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
