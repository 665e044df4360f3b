package dev.grpcpatterns.benchmark;

import java.time.Duration;

/** A client that loads one server with one workload for a while: the grpc-java stubs or h2load. */
interface ClientLoad extends AutoCloseable {

    /** Loads the server with {@code workload} for {@code duration} and counts what was completed. */
    LoadGenerator.Result run(LoadGenerator.Workload workload, Duration duration) throws Exception;

    /** Loads the server with {@code workload} for {@code duration}, before the measured rounds. */
    default LoadGenerator.Result warmUp(LoadGenerator.Workload workload, Duration duration) throws Exception {
        return run(workload, duration);
    }

    @Override
    void close() throws InterruptedException;
}
