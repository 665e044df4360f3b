package dev.grpcpatterns.reliability;

import dev.grpcpatterns.reliability.ReliabilityProperties.Executor.AfterStart;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.server.serverfactory.GrpcServerConfigurer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * The gRPC server's executor, installed on the servers net.devh builds: a fixed number of threads, instead of
 * grpc-java's default cached pool that grows a thread per busy call under load. Every call starts here, never on a
 * Netty event loop: its start runs the interceptors (identity's check may fetch the issuer's keys on its first
 * call) and the service method's start. With admission control on, only the calls it admits run here
 * ({@link AdmissionControl} installs the executors).
 *
 * <p>What follows the start on the gRPC port, the call's messages, half-close, readiness and end, runs on the
 * transport thread that read it ({@code reliability.executor.after-start: transport}, {@link PooledStart}): none of
 * this service's methods blocks there (an echo, a join, a timer's schedule), and a Chat message then costs no
 * thread hand-off at all, where the pool costs two (one to deliver it, one back to the event loop to read the
 * next): a third of the CPU per message (docs/performance.md). A service whose methods block on a message or a
 * half-close sets {@code pool}. In-process calls (the web protocols) always run on the pool: the threads that hand
 * them over are the web side's own.
 *
 * <p>Its size is two threads per processor by default ({@code reliability.executor.threads: 0}). A pool much
 * larger than the cores keeps most of its threads parked, so more hand-offs wake one (a futex wake and a context
 * switch, more CPU than a Chat echo's own work), while a pool sized to the cores more often has a thread that is
 * still draining the queue. Nothing of this service blocks on these threads (pacing uses a timer); a service whose
 * methods block needs a larger number.
 *
 * <p>The queue has no capacity of its own, on purpose: grpc-java hands the pool one task per call at a time (a
 * call's callbacks wait in its own serializing queue), so the queue is never longer than the HTTP/2 streams open,
 * which {@code reliability.max-concurrent-calls-per-connection} bounds per connection and which each hold far
 * more memory in Netty than their queue entry. A full queue would leave two bad choices: running the start on
 * the event loop (which then stops serving every other call of its connections while it waits), or rejecting it,
 * which grpc-java cannot turn into a status (the callback is lost and the call hangs). Overload is answered
 * earlier instead, when a call is admitted ({@link AdmissionControl}). The queue's length is the gauge
 * {@code executor.queued} ({@code name=grpc-server}). Not an {@code Executor} bean on purpose: that would switch
 * off Spring Boot's own.
 */
@Component
class GrpcServerExecutor implements GrpcServerConfigurer, MeterBinder, DisposableBean {

    private static final String NAME = "grpc-server";

    private final ThreadPoolExecutor pool;
    private final AfterStart afterStart;
    private final AdmissionControl admission;

    GrpcServerExecutor(ReliabilityProperties properties, AdmissionControl admission) {
        this.admission = admission;
        this.afterStart = properties.executor().afterStart();
        int threads = properties.executor().size();
        CustomizableThreadFactory factory = new CustomizableThreadFactory("grpc-call-");
        factory.setDaemon(true);
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                factory);
    }

    @Override
    public void accept(ServerBuilder<?> builder) {
        boolean onTransport = afterStart == AfterStart.TRANSPORT && !(builder instanceof InProcessServerBuilder);
        admission.install(builder, onTransport ? () -> new PooledStart(pool) : () -> pool);
    }

    /** Micrometer's executor gauges (queued, active, pool size, completed), without wrapping the pool's tasks. */
    @Override
    public void bindTo(MeterRegistry registry) {
        new ExecutorServiceMetrics(pool, NAME, List.of()).bindTo(registry);
    }

    @Override
    public void destroy() {
        // Beans are destroyed after net.devh's lifecycle has stopped the server, so no call needs it any more.
        pool.shutdownNow();
    }
}
