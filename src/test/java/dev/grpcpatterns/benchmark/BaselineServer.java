package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.chat.ChatProperties;
import dev.grpcpatterns.chat.ChatService;
import dev.grpcpatterns.chat.PacingTimer;
import dev.grpcpatterns.greeter.GreeterService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's baseline: the service's own classes on a bare grpc-java Netty server, no Spring, grpc-java's
 * defaults throughout. Arguments: the port, then ServerStream's messages (sent with no pause).
 */
public final class BaselineServer {

    private BaselineServer() {
    }

    public static void main(String[] args) throws Exception {
        // No line per Chat message, as in the benchmarked service (Benchmark switches it off there too).
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.grpcpatterns.chat.messages"))
                .setLevel(ch.qos.logback.classic.Level.OFF);
        int port = Integer.parseInt(args[0]);
        List<String> messages = Arrays.asList(args).subList(1, args.length);
        // ClientStream's bounds as application.yml sets them for the service.
        ChatProperties chat = new ChatProperties(new ChatProperties.ServerStream(messages, Duration.ZERO),
                new ChatProperties.ClientStream(10_000, 1_000_000));
        Server server = NettyServerBuilder.forPort(port)
                .addService(new GreeterService())
                .addService(new ChatService(chat, new PacingTimer()))
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        server.awaitTermination();
    }
}
