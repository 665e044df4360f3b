package dev.grpcpatterns.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.grpcpatterns.GrpcPatternsApplication;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.AppProcess;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service on a real port, every call sampled, reporting to a stand-in for Zipkin (an HTTP server on Zipkin's
 * span API that counts the spans of each message, as Boot's sender posts them: JSON, gzip): every call's span
 * arrives through the batches, and the spans of calls answered just before the service closes are sent as it closes.
 */
class ZipkinSpansInBatchesTest {

    private final AtomicInteger spans = new AtomicInteger();
    private HttpServer zipkin;
    private ConfigurableApplicationContext service;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        ObjectMapper json = new ObjectMapper();
        zipkin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        zipkin.createContext("/api/v2/spans", exchange -> {
            try (InputStream body = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                spans.addAndGet(json.readTree(body).size());
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        zipkin.start();
        int port = AppProcess.freePort();
        service = new SpringApplicationBuilder(GrpcPatternsApplication.class).run(
                "--grpc.server.port=" + port, "--server.port=0", "--demo.enabled=false",
                "--management.tracing.sampling.probability=1.0",
                "--management.zipkin.tracing.endpoint=http://127.0.0.1:" + zipkin.getAddress().getPort()
                        + "/api/v2/spans");
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        service.close();
        zipkin.stop(0);
    }

    @Test
    void everyCallsSpanArrives() {
        int calls = 2 * SpanBatchFlush.BATCH + 500;
        call(calls);
        await().atMost(Duration.ofSeconds(30)).until(() -> spans.get() >= calls);
        assertThat(spans.get()).isEqualTo(calls);
    }

    @Test
    void theSpansOfTheLastCallsAreSentAsTheServiceCloses() {
        call(20);
        service.close();
        assertThat(spans.get()).isEqualTo(20);
    }

    private void call(int calls) {
        GreeterGrpc.GreeterBlockingStub greeter = GreeterGrpc.newBlockingStub(channel);
        for (int i = 0; i < calls; i++) {
            greeter.sayHello(HelloRequest.newBuilder().setName("span " + i).build());
        }
    }
}
