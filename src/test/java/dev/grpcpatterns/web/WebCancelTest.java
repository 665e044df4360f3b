package dev.grpcpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.support.ServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
 * call is cancelled on the server, counted CANCELLED, long before the stream would have ended. Over HTTP/1.1 the
 * container learns of the closed connection when it next writes, so within a message or two (docs/web.md).
 */
@ServiceTest
@TestPropertySource(properties = {
        "chat.server-stream.messages=m1,m2,m3,m4,m5,m6,m7,m8,m9,m10,m11,m12,m13,m14,m15,m16,m17,m18,m19,m20",
        "chat.server-stream.interval=200ms"})
class WebCancelTest {

    @LocalServerPort
    private int port;

    @Autowired
    private MeterRegistry meters;

    @Test
    void aClosedConnectionCancelsItsStream() throws Exception {
        long cancelledBefore = cancelledServerStreams();
        byte[] body = LengthPrefixedFrames.frame(0, ChatMessage.newBuilder().setMessageText("start").build()
                .toByteArray());
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /grpcpatterns.v1.ChatService/ServerStream HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/grpc-web+proto\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String seen = "";
            while (!seen.contains("m1")) {
                byte[] chunk = new byte[256];
                int read = in.read(chunk);
                assertThat(read).as("the first message arrives").isPositive();
                seen += new String(chunk, 0, read, StandardCharsets.ISO_8859_1);
            }
            assertThat(openCalls()).isEqualTo(1);
        }
        // The whole stream would take 19 intervals (3.8 s) more: it ends within a few, as CANCELLED.
        await().atMost(Duration.ofSeconds(2)).until(() -> cancelledServerStreams() == cancelledBefore + 1);
        assertThat(openCalls()).isZero();
    }

    private double openCalls() {
        return meters.get("grpc.server.calls.active").gauge().value();
    }

    private long cancelledServerStreams() {
        Timer timer = meters.find("grpc.server.processing.duration").tag("method", "ServerStream")
                .tag("statusCode", "CANCELLED").timer();
        return timer == null ? 0 : timer.count();
    }
}
