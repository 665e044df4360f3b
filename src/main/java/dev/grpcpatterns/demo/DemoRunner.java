package dev.grpcpatterns.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Runs the demo once against the service itself after it is ready ({@code demo.enabled}). It runs on a
 * task thread, so the paced flows never hold back start-up or readiness, and a failure is only logged,
 * unless {@code demo.exit-when-done} asks the service to stop and report it in its exit status.
 */
@Component
@Profile("!client")
@ConditionalOnProperty(name = "demo.enabled", havingValue = "true")
class DemoRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoRunner.class);

    private final DemoClient demo;
    private final TaskExecutor executor;
    private final DemoProperties properties;

    DemoRunner(DemoClient demo, TaskExecutor executor, DemoProperties properties) {
        this.demo = demo;
        this.executor = executor;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void runDemo() {
        executor.execute(() -> {
            int status;
            try {
                status = DemoRun.runFlows(demo, log, "Demo finished: all four patterns answered");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (properties.exitWhenDone()) {
                // From a thread of its own: the graceful shutdown waits for this task executor's running tasks.
                new Thread(() -> System.exit(status), "demo-exit").start();
            }
        });
    }
}
