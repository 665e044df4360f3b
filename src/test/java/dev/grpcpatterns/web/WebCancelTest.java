package dev.grpcpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.ServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A browser that goes away in the middle of a gRPC-Web stream (an aborted fetch closes its HTTP/1.1 connection): the
 * call is cancelled on the server at once, counted CANCELLED, its open-calls gauge back to 0. The stream's next message
 * is a minute away, so nothing the server writes can reveal the closed connection ({@link HangUps} does), and the calls
 * before it on the same keep-alive connection are answered and not cancelled.
 */
@ServiceTest
@TestPropertySource(properties = {
        "chat.server-stream.messages=m1,m2,m3",
        "chat.server-stream.interval=60s"})
class WebCancelTest {

    @LocalServerPort
    private int port;

    @Autowired
    private MeterRegistry meters;

    @Test
    void aClosedConnectionCancelsItsStreamAtOnce() throws Exception {
        long cancelledBefore = cancelled("ServerStream");
        long helloCancelledBefore = cancelled("SayHello");
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] hello = LengthPrefixedFrames.frame(0, HelloRequest.newBuilder().setName("Ada").build()
                    .toByteArray());
            for (int i = 0; i < 2; i++) {
                post(out, "/grpcpatterns.v1.Greeter/SayHello", hello);
                // A unary answer has its length (one write): it ends with its trailers' last line.
                assertThat(readUntil(in, "grpc-status: 0\r\n")).contains("Content-Length: ", "Hello, Ada!");
            }
            post(out, "/grpcpatterns.v1.ChatService/ServerStream", LengthPrefixedFrames.frame(0,
                    ChatMessage.newBuilder().setMessageText("start").build().toByteArray()));
            assertThat(readUntil(in, "m1")).startsWith("HTTP/1.1 200");
            assertThat(openCalls()).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> cancelled("ServerStream") == cancelledBefore + 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> openCalls() == 0);
        assertThat(cancelled("SayHello")).as("the calls before, on the same connection").isEqualTo(helloCancelledBefore);
    }

    private static void post(OutputStream out, String path, byte[] body) throws IOException {
        out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/grpc-web+proto\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(end) < 0) {
            byte[] chunk = new byte[256];
            int read = in.read(chunk);
            assertThat(read).as("more of the response (so far: %s)", seen).isPositive();
            seen.append(new String(chunk, 0, read, StandardCharsets.ISO_8859_1));
        }
        return seen.toString();
    }

    private double openCalls() {
        return meters.get("grpc.server.calls.active").gauge().value();
    }

    private long cancelled(String method) {
        Timer timer = meters.find("grpc.server.processing.duration").tag("method", method)
                .tag("statusCode", "CANCELLED").timer();
        return timer == null ? 0 : timer.count();
    }
}
