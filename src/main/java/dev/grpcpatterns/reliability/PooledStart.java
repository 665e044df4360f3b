package dev.grpcpatterns.reliability;

import java.util.concurrent.Executor;

/**
 * One call's executor ({@code reliability.executor.after-start: transport}): its start on the pool, every later
 * callback (its messages, half-close, readiness and end) on the thread that hands it over, the transport thread
 * that read it. grpc-java runs a call's callbacks through a serializing queue of its own, which hands this executor
 * one drain of that queue at a time, so they stay in order and never overlap wherever they run; callbacks that
 * arrive while the start's drain is still running are drained with it, on the pool.
 */
public final class PooledStart implements Executor {

    private final Executor pool;
    private volatile boolean started;

    public PooledStart(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable callbacks) {
        if (started) {
            callbacks.run();
            return;
        }
        pool.execute(() -> {
            try {
                callbacks.run();
            } finally {
                started = true;
            }
        });
    }
}
