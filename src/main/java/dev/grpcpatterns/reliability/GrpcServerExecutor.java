package dev.grpcpatterns.reliability;

import io.grpc.ServerBuilder;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.server.serverfactory.GrpcServerConfigurer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * The gRPC server's executor, installed on the server net.devh builds: a fixed number of threads and a bounded
 * queue, instead of grpc-java's default unbounded cached pool that grows a thread per busy call under load.
 *
 * <p>When the queue is full the submitting thread runs the callback itself ({@code CallerRunsPolicy}). That
 * thread is a Netty event loop: while it runs the callback it reads no more from its connections, so HTTP/2
 * flow control pushes back on clients. Rejecting instead is no option: grpc-java cannot turn a rejected
 * callback into a status for the call, it would lose the callback. Our callbacks never block, so a
 * caller-run is short. Not an {@code Executor} bean on purpose: that would switch off Spring Boot's own.
 */
@Component
class GrpcServerExecutor implements GrpcServerConfigurer, DisposableBean {

    private final ThreadPoolExecutor pool;

    GrpcServerExecutor(ReliabilityProperties properties) {
        ReliabilityProperties.Executor settings = properties.executor();
        CustomizableThreadFactory threads = new CustomizableThreadFactory("grpc-call-");
        threads.setDaemon(true);
        pool = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.queueCapacity()), threads, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    @Override
    public void accept(ServerBuilder<?> builder) {
        builder.executor(pool);
    }

    @Override
    public void destroy() {
        // Beans are destroyed after net.devh's lifecycle has stopped the server, so no call needs it any more.
        pool.shutdownNow();
    }
}
