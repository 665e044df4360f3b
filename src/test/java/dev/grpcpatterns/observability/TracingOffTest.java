package dev.grpcpatterns.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.ServiceTest;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * {@code management.tracing.enabled=false} (the shared test context's setting): no tracer at all, not Brave, not
 * Zipkin's sender, not the call's observation ({@link TracingWhenOn}); calls are answered and measured as before.
 */
@ServiceTest
class TracingOffTest {

    @Autowired
    private ApplicationContext context;

    @GrpcClient("demo")
    private GreeterGrpc.GreeterBlockingStub greeter;

    @Test
    void nothingOfTracingIsBuilt() {
        assertThat(context.getEnvironment().getProperty(TracingWhenOn.TRACING)).isEqualTo("false");
        assertThat(context.getBeanDefinitionNames()).allSatisfy(name -> assertThat(
                context.getType(name) == null ? "" : context.getType(name).getName()).as(name)
                .doesNotStartWith("brave.")
                .doesNotStartWith("io.micrometer.tracing.")
                .doesNotStartWith("zipkin2.")
                .doesNotStartWith("org.springframework.boot.actuate.autoconfigure.tracing.")
                .isNotEqualTo(TracedServerCalls.class.getName()));
        assertThat(greeter.withDeadlineAfter(10, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName("untraced").build()).getResponseText())
                .isEqualTo("Hello, untraced!");
    }
}
