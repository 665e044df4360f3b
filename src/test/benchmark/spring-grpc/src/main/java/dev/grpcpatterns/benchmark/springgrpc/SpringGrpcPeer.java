package dev.grpcpatterns.benchmark.springgrpc;

import dev.grpcpatterns.benchmark.ServiceLimits;
import dev.grpcpatterns.chat.ChatProperties;
import dev.grpcpatterns.chat.ChatService;
import dev.grpcpatterns.chat.PacingTimer;
import dev.grpcpatterns.greeter.GreeterService;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.server.ServerBuilderCustomizer;

/**
 * The service's GreeterService and ChatService on Spring gRPC instead of net.devh. Spring gRPC serves every
 * {@code BindableService} bean; its observation interceptor measures each call into the actuator's
 * Prometheus registry. The server gets the service's executor and limits, so the framework is the only
 * difference.
 */
@SpringBootApplication(proxyBeanMethods = false)
@EnableConfigurationProperties(ChatProperties.class)
public class SpringGrpcPeer {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(SpringGrpcPeer.class);
        // Its own settings file: the service's classes on the classpath bring the service's application.yml.
        application.setDefaultProperties(Map.of("spring.config.name", "spring-grpc-peer"));
        application.run(args);
    }

    @Bean
    GreeterService greeterService() {
        return new GreeterService();
    }

    @Bean
    PacingTimer pacingTimer() {
        return new PacingTimer();
    }

    @Bean
    ChatService chatService(ChatProperties chat, PacingTimer pacing) {
        return new ChatService(chat, pacing);
    }

    @Bean
    ServerBuilderCustomizer<NettyServerBuilder> serviceLimits() {
        return ServiceLimits::apply;
    }
}
