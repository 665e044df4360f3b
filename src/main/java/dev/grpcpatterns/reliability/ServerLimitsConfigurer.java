package dev.grpcpatterns.reliability;

import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import net.devh.boot.grpc.server.serverfactory.GrpcServerConfigurer;
import org.springframework.stereotype.Component;

/** Applies the limits net.devh has no key for to the server it builds. */
@Component
class ServerLimitsConfigurer implements GrpcServerConfigurer {

    private final ReliabilityProperties properties;
    private final GrpcServerExecutor executor;

    ServerLimitsConfigurer(ReliabilityProperties properties, GrpcServerExecutor executor) {
        this.properties = properties;
        this.executor = executor;
    }

    @Override
    public void accept(ServerBuilder<?> builder) {
        builder.executor(executor.executor());
        if (builder instanceof NettyServerBuilder netty) {
            netty.maxConcurrentCallsPerConnection(properties.maxConcurrentCallsPerConnection());
        }
    }
}
