package dev.grpcpatterns.benchmark;

import com.google.common.util.concurrent.MoreExecutors;
import dev.grpcpatterns.reliability.PooledStart;
import dev.grpcpatterns.reliability.ReliabilityProperties;
import io.grpc.Metadata;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC server settings application.yml gives the service ({@code reliability.*} and the limits and
 * keep-alives under {@code grpc.server}), for the servers it is compared with: the bare grpc-java baselines
 * and the Spring gRPC peer then differ from the service in the framework only, not in the executor or the
 * limits. {@code ServiceLimitsTest} checks the values against application.yml.
 */
public final class ServiceLimits {

    /** {@code reliability.executor} as application.yml sets it: two threads per processor, after-start transport. */
    static final ReliabilityProperties.Executor EXECUTOR =
            new ReliabilityProperties.Executor(0, ReliabilityProperties.Executor.AfterStart.TRANSPORT);
    static final int MAX_CONCURRENT_CALLS_PER_CONNECTION = 128;
    static final int MAX_INBOUND_MESSAGE_SIZE = 1024 * 1024;
    static final int MAX_INBOUND_METADATA_SIZE = 8 * 1024;
    static final long KEEP_ALIVE_TIME_SECONDS = 60;
    static final long KEEP_ALIVE_TIMEOUT_SECONDS = 20;
    static final long PERMIT_KEEP_ALIVE_TIME_SECONDS = 30;
    static final long MAX_CONNECTION_IDLE_SECONDS = 30 * 60;
    static final long MAX_CONNECTION_AGE_SECONDS = 60 * 60;
    static final long MAX_CONNECTION_AGE_GRACE_SECONDS = 10 * 60;

    private ServiceLimits() {
    }

    /**
     * Applies the service's executor (each call started on the pool, its later callbacks on the transport thread),
     * limits and keep-alives to a grpc-java (shaded) Netty server builder.
     */
    public static void apply(ServerBuilder<?> builder) {
        if (!(builder instanceof NettyServerBuilder netty)) {
            throw new IllegalArgumentException("not a Netty server builder: " + builder.getClass().getName());
        }
        ThreadPoolExecutor pool = executor();
        netty.executor(MoreExecutors.directExecutor())
                .callExecutor(new ServerCallExecutorSupplier() {
                    @Override
                    public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
                        return new PooledStart(pool);
                    }
                })
                .maxConcurrentCallsPerConnection(MAX_CONCURRENT_CALLS_PER_CONNECTION)
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_SIZE)
                .maxInboundMetadataSize(MAX_INBOUND_METADATA_SIZE)
                .keepAliveTime(KEEP_ALIVE_TIME_SECONDS, TimeUnit.SECONDS)
                .keepAliveTimeout(KEEP_ALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .permitKeepAliveTime(PERMIT_KEEP_ALIVE_TIME_SECONDS, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(false)
                .maxConnectionIdle(MAX_CONNECTION_IDLE_SECONDS, TimeUnit.SECONDS)
                .maxConnectionAge(MAX_CONNECTION_AGE_SECONDS, TimeUnit.SECONDS)
                .maxConnectionAgeGrace(MAX_CONNECTION_AGE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * As the service's GrpcServerExecutor builds it: two threads per processor, the queue bounded by the open streams
     * only.
     */
    private static ThreadPoolExecutor executor() {
        AtomicInteger number = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread thread = new Thread(task, "grpc-call-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        int size = EXECUTOR.size();
        return new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), threads);
    }
}
