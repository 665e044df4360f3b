package dev.grpcpatterns.demo;

import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;

/**
 * One run of the four flows, for both of its runners ({@link DemoRunner} in the service, {@link ClientMode} in the
 * {@code client} profile): each line and the outcome go to the runner's log, and the outcome is the exit status the
 * runner ends the process with when it is asked to, 0 when all four answered and 1 otherwise.
 */
final class DemoRun {

    private DemoRun() {
    }

    /** Runs the flows once; returns the exit status that reports how it went. */
    static int runFlows(DemoClient demo, Logger log, String answered) throws InterruptedException {
        try {
            demo.runAll(log::info);
            log.info(answered);
            return 0;
        } catch (StatusRuntimeException e) {
            log.warn("Demo failed: {}", e.getStatus());
            return 1;
        }
    }
}
