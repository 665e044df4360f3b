package dev.grpcpatterns.web;

import java.io.IOException;
import java.util.List;
import net.devh.boot.grpc.server.config.GrpcServerProperties;
import net.devh.boot.grpc.server.serverfactory.GrpcServerConfigurer;
import net.devh.boot.grpc.server.service.GrpcServiceDiscoverer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * gRPC-Web, Connect and gRPC over WebSocket on the HTTP port ({@code web.enabled}): one servlet at every service's
 * path ({@code /<package.Service>/*}), calling the services in-process through the same interceptors as the gRPC port.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(name = "web.enabled", havingValue = "true")
@EnableConfigurationProperties(WebProperties.class)
class WebConfig {

    @Bean
    InProcessServices webInProcessServices(GrpcServerProperties server, GrpcServiceDiscoverer discoverer,
            List<GrpcServerConfigurer> configurers) {
        return new InProcessServices(server, discoverer, configurers);
    }

    @Bean
    WebCallsObservedOnce webCallsObservedOnce() {
        return new WebCallsObservedOnce();
    }

    @Bean
    HangUps webHangUps() throws IOException {
        return new HangUps();
    }

    @Bean
    ServletRegistrationBean<WebCallServlet> webCallServlet(InProcessServices services, HangUps hangUps,
            WebProperties properties, GrpcServerProperties server) {
        WebMethods methods = new WebMethods(services.services());
        // The gRPC port's own limit: a message too big there is too big here.
        DataSize limit = server.getMaxInboundMessageSize();
        int maxMessage = limit == null ? 4 * 1024 * 1024 : (int) limit.toBytes();
        Origins origins = new Origins(properties.allowedOrigins());
        CallerSlots slots = new CallerSlots(properties.maxCallsPerClient());
        WebSocketCalls webSockets = new WebSocketCalls(services.channel(), origins, slots, properties, maxMessage);
        WebCallServlet servlet = new WebCallServlet(methods, services.channel(), origins, slots, webSockets, hangUps,
                properties, maxMessage);
        ServletRegistrationBean<WebCallServlet> registration = new ServletRegistrationBean<>(servlet,
                methods.services().stream().map(service -> "/" + service + "/*").toArray(String[]::new));
        registration.setAsyncSupported(true);
        registration.setName(WebCallsObservedOnce.SERVLET);
        return registration;
    }
}
