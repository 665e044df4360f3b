package dev.grpcpatterns.reliability;

import io.grpc.ServerBuilder;
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
 * The gRPC server's executor, installed on the server net.devh builds: a fixed number of threads, instead of
 * grpc-java's default cached pool that grows a thread per busy call under load. Every call's callbacks run here,
 * never on a Netty event loop. With admission control on, only the calls it admits run here ({@link AdmissionControl}
 * installs the executors then).
 *
 * <p>Its size is two threads per processor by default ({@code reliability.executor.threads: 0}). Every callback is
 * handed from a Netty thread to this pool; a pool much larger than the cores keeps most of its threads parked, so
 * more hand-offs wake one (a futex wake and a context switch, more CPU than a Chat echo's own work), while a pool
 * sized to the cores more often has a thread that is still draining the queue. Nothing of this service blocks on
 * these threads (pacing uses a timer); a service whose methods block needs a larger number.
 *
 * <p>The queue has no capacity of its own, on purpose: grpc-java hands the pool one task per call at a time (a
 * call's callbacks wait in its own serializing queue), so the queue is never longer than the HTTP/2 streams open,
 * which {@code reliability.max-concurrent-calls-per-connection} bounds per connection and which each hold far
 * more memory in Netty than their queue entry. A full queue would leave two bad choices: running the callback on
 * the event loop (which then stops serving every other call of its connections), or rejecting it, which grpc-java
 * cannot turn into a status (the callback is lost and the call hangs). Overload is answered earlier instead, when
 * a call is admitted ({@link AdmissionControl}). The queue's length is the gauge {@code executor.queued}
 * ({@code name=grpc-server}). Not an {@code Executor} bean on purpose: that would switch off Spring Boot's own.
 */
@Component
class GrpcServerExecutor implements GrpcServerConfigurer, MeterBinder, DisposableBean {

    private static final String NAME = "grpc-server";

    private final ThreadPoolExecutor pool;
    private final AdmissionControl admission;

    GrpcServerExecutor(ReliabilityProperties properties, AdmissionControl admission) {
        this.admission = admission;
        int threads = properties.executor().size();
        CustomizableThreadFactory factory = new CustomizableThreadFactory("grpc-call-");
        factory.setDaemon(true);
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                factory);
    }

    @Override
    public void accept(ServerBuilder<?> builder) {
        admission.install(builder, pool);
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
