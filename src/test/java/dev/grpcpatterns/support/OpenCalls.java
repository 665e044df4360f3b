package dev.grpcpatterns.support;

import static org.assertj.core.api.Assertions.fail;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** The server's open calls ({@code grpc.server.calls.active}), as tests that must leave none open check them. */
public final class OpenCalls {

    private OpenCalls() {
    }

    /**
     * The server ends its side just after the client hears the status: waits for that (checking every 50 µs, as a
     * fuzzer runs thousands of calls a second), at most 10 s.
     */
    public static void awaitNone(MeterRegistry meters) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (meters.get("grpc.server.calls.active").gauge().value() > 0) {
            if (System.nanoTime() > deadline) {
                fail("a call is still open on the server 10 s after the client heard its end");
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
        }
    }
}
