package dev.grpcpatterns.reliability;

import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import net.devh.boot.grpc.server.serverfactory.GrpcServerConfigurer;
import org.springframework.stereotype.Component;

/**
 * Announces {@code reliability.max-concurrent-calls-per-connection} as the server's HTTP/2 MAX_CONCURRENT_STREAMS,
 * a limit net.devh has no key for.
 */
@Component
class CallsPerConnectionLimit implements GrpcServerConfigurer {

    private final int maxConcurrentCallsPerConnection;

    CallsPerConnectionLimit(ReliabilityProperties properties) {
        this.maxConcurrentCallsPerConnection = properties.maxConcurrentCallsPerConnection();
    }

    @Override
    public void accept(ServerBuilder<?> builder) {
        if (builder instanceof NettyServerBuilder netty) {
            netty.maxConcurrentCallsPerConnection(maxConcurrentCallsPerConnection);
        }
    }
}
