package dev.grpcpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.proto.v1.HelloResponse;
import dev.grpcpatterns.support.ServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * gRPC-Web, Connect and gRPC over WebSocket over real HTTP on the service's random port: the calls, and what bad input
 * gets (a status that says what was wrong, in the caller's own protocol; never a stack trace, never a wedged call).
 */
@ServiceTest
class WebProtocolsTest {

    private static final String SAY_HELLO = "/grpcpatterns.v1.Greeter/SayHello";
    private static final String SERVER_STREAM = "/grpcpatterns.v1.ChatService/ServerStream";
    private static final String CHAT = "/grpcpatterns.v1.ChatService/Chat";
    private static final List<String> ARTICLE_STREAM = List.of("Hello world", "This is server streaming grpc",
            "Good bye");

    @LocalServerPort
    private int port;

    @Autowired
    private TestRestTemplate rest;

    @Autowired
    private MeterRegistry meters;

    private WebClient client() {
        return new WebClient(port);
    }

    private static byte[] hello(String name) {
        return LengthPrefixedFrames.frame(0, HelloRequest.newBuilder().setName(name).build().toByteArray());
    }

    private static String trailers(List<LengthPrefixedFrames.Frame> frames) {
        LengthPrefixedFrames.Frame last = frames.get(frames.size() - 1);
        assertThat(last.flags()).as("the last frame carries the trailers").isEqualTo(GrpcWebFormat.TRAILERS);
        return WebClient.text(last);
    }

    @Test
    void grpcWebUnaryAnswersWithTheReplyAndTrailersInTheBody() throws Exception {
        HttpResponse<byte[]> response = client().post(SAY_HELLO, "application/grpc-web+proto", hello("Hyeonghwan"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue(GrpcWebFormat.BINARY);
        List<LengthPrefixedFrames.Frame> frames = WebClient.frames(response.body());
        assertThat(frames).hasSize(2);
        assertThat(HelloResponse.parseFrom(frames.get(0).payload()).getResponseText()).isEqualTo("Hello, Hyeonghwan!");
        assertThat(trailers(frames)).startsWith("grpc-status: 0\r\n");
        assertThat(response.headers().firstValue("content-length")).as("one body of known length, one write")
                .hasValue(Integer.toString(response.body().length));
    }

    @Test
    void aWebCallIsObservedOnceAsTheGrpcCallItBecomes() throws Exception {
        long before = okSayHellos();
        client().post(SAY_HELLO, "application/grpc-web+proto", hello("Ada"));
        rest.getForEntity("/actuator/health", String.class);

        await().atMost(Duration.ofSeconds(5)).until(() -> okSayHellos() == before + 1);
        assertThat(meters.find("http.server.requests").tag("uri", "/actuator/health").timer())
                .as("the HTTP port's own requests are observed").isNotNull();
        assertThat(meters.find("http.server.requests").tag("method", "POST").timers())
                .as("web calls are not observed a second time as HTTP requests").isEmpty();
    }

    private long okSayHellos() {
        Timer timer = meters.find("grpc.server.processing.duration").tag("method", "SayHello")
                .tag("statusCode", "OK").timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void grpcWebTextModeIsBase64BothWays() throws Exception {
        byte[] body = Base64.getEncoder().encode(hello("Hyeonghwan"));
        HttpResponse<byte[]> response = client().post(SAY_HELLO, "application/grpc-web-text", body);

        assertThat(response.headers().firstValue("content-type")).hasValue(GrpcWebFormat.TEXT);
        List<LengthPrefixedFrames.Frame> frames = WebClient.frames(Base64Text.decode(response.body()));
        assertThat(HelloResponse.parseFrom(frames.get(0).payload()).getResponseText()).isEqualTo("Hello, Hyeonghwan!");
        assertThat(trailers(frames)).startsWith("grpc-status: 0\r\n");
    }

    @Test
    void grpcWebErrorsCarryTheRichDetailsOfTheGrpcPort() throws Exception {
        HttpResponse<byte[]> response = client().post(SAY_HELLO, "application/grpc-web+proto", hello(" "));

        String trailers = trailers(WebClient.frames(response.body()));
        assertThat(trailers).contains("grpc-status: 3\r\n", "grpc-message: name must not be blank\r\n");
        String details = trailers.lines().filter(line -> line.startsWith(ConnectErrors.DETAILS_KEY)).findFirst()
                .orElseThrow();
        com.google.rpc.Status status = com.google.rpc.Status.parseFrom(
                Base64.getDecoder().decode(details.substring(details.indexOf(':') + 1).trim()));
        assertThat(status.getDetailsList()).extracting(com.google.protobuf.Any::getTypeUrl)
                .contains("type.googleapis.com/google.rpc.BadRequest");
    }

    @Test
    void connectJsonUnaryIsTheCurlExample() throws Exception {
        HttpResponse<byte[]> response = client().post(SAY_HELLO, "application/json",
                "{\"name\":\"Hyeonghwan\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"responseText\":\"Hello, Hyeonghwan!\"}");
    }

    @Test
    void connectErrorsHaveTheHttpStatusOfTheirCodeAndTheDetails() throws Exception {
        HttpResponse<byte[]> response = client().post(SAY_HELLO, "application/json",
                "{\"name\":\"\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .contains("\"code\":\"invalid_argument\"", "\"message\":\"name must not be blank\"",
                        "\"type\":\"google.rpc.BadRequest\"",
                        "\"debug\":{\"fieldViolations\":[{\"field\":\"name\",\"description\":\"must not be blank\"}]}");
    }

    @Test
    void connectStreamingSendsEnvelopesAndTheEndOfStream() throws Exception {
        byte[] request = LengthPrefixedFrames.frame(0, "{\"messageText\":\"start\"}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> response = client().post(SERVER_STREAM, "application/connect+json", request);

        List<LengthPrefixedFrames.Frame> frames = WebClient.frames(response.body());
        assertThat(frames.subList(0, 3)).extracting(WebClient::text)
                .containsExactly("{\"messageText\":\"Hello world\"}",
                        "{\"messageText\":\"This is server streaming grpc\"}", "{\"messageText\":\"Good bye\"}");
        assertThat(frames.get(3).flags()).isEqualTo(ConnectStreamFormat.END_STREAM);
        assertThat(WebClient.text(frames.get(3))).isEqualTo("{}");
    }

    @Test
    void badInputGetsAStatusThatSaysWhat() throws Exception {
        WebClient client = client();
        assertThat(trailers(WebClient.frames(Base64Text.decode(client.post(SAY_HELLO, "application/grpc-web-text",
                "not base64!".getBytes(StandardCharsets.US_ASCII)).body()))))
                .isEqualTo("grpc-status: 3\r\ngrpc-message: base64 text of 11 characters is not a whole number of "
                        + "4-character groups\r\n");
        byte[] cut = java.util.Arrays.copyOf(hello("Hyeonghwan"), 8);
        assertThat(trailers(WebClient.frames(client.post(SAY_HELLO, "application/grpc-web+proto", cut).body())))
                .contains("grpc-status: 3\r\n", "request body ends inside a frame");
        byte[] huge = {0, 0x7f, 0, 0, 0};
        assertThat(trailers(WebClient.frames(client.post(SAY_HELLO, "application/grpc-web+proto", huge).body())))
                .contains("grpc-status: 8\r\n", "larger than the limit of 1048576 bytes");
        byte[] compressed = hello("Hyeonghwan");
        compressed[0] = 1;
        assertThat(trailers(WebClient.frames(client.post(SAY_HELLO, "application/grpc-web+proto", compressed)
                .body()))).contains("grpc-status: 12\r\n", "compressed messages are not supported");
        byte[] notAHello = LengthPrefixedFrames.frame(0, new byte[] {(byte) 0xff, (byte) 0xff});
        assertThat(trailers(WebClient.frames(client.post(SAY_HELLO, "application/grpc-web+proto", notAHello)
                .body()))).contains("grpc-status: 3\r\n", "could not be parsed");
        assertThat(trailers(WebClient.frames(client.post("/grpcpatterns.v1.Greeter/SayGoodbye",
                "application/grpc-web+proto", hello("x")).body()))).contains("grpc-status: 12\r\n");
        assertThat(trailers(WebClient.frames(client.post(SAY_HELLO, "application/grpc-web+proto", hello("x"),
                "grpc-timeout", "soon").body()))).contains("grpc-status: 3\r\n", "malformed grpc-timeout: soon");

        byte[] fiveMegabytes = new byte[5 * 1024 * 1024];
        HttpResponse<byte[]> tooLarge = client.post(SAY_HELLO, "application/json", fiveMegabytes);
        assertThat(tooLarge.statusCode()).isEqualTo(429);
        assertThat(new String(tooLarge.body(), StandardCharsets.UTF_8)).contains("resource_exhausted",
                "request body is larger than the limit of 4194304 bytes");

        HttpResponse<byte[]> wrongType = client.post(SAY_HELLO, "text/plain", new byte[] {1});
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(new String(wrongType.body(), StandardCharsets.UTF_8)).contains("is not supported: use")
                .doesNotContain("Exception");
        HttpResponse<byte[]> unaryAsStream = client.post(SERVER_STREAM, "application/json", new byte[0]);
        assertThat(unaryAsStream.statusCode()).isEqualTo(501);
        assertThat(new String(unaryAsStream.body(), StandardCharsets.UTF_8))
                .contains("is a streaming method: use application/connect+json");

        // None of it wedged anything: the next call is answered.
        assertThat(client.post(SAY_HELLO, "application/json", "{\"name\":\"A\"}".getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void otherSitesAreRefusedUnlessAllowed() throws Exception {
        WebClient client = client();
        HttpResponse<byte[]> crossSite = client.post(SAY_HELLO, "application/json",
                "{\"name\":\"A\"}".getBytes(StandardCharsets.UTF_8), "Origin", "https://evil.example");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        HttpResponse<byte[]> preflight = client.send(HttpRequest.newBuilder(client.uri(SAY_HELLO))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST"));
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<byte[]> sameSite = client.post(SAY_HELLO, "application/json",
                "{\"name\":\"A\"}".getBytes(StandardCharsets.UTF_8), "Origin", "http://localhost:" + port);
        assertThat(sameSite.statusCode()).isEqualTo(200);
    }

    @Test
    void webSocketCarriesAChatBothWays() throws Exception {
        WebClient.Socket chat = WebClient.Socket.open(client(), CHAT, "http://localhost:" + port, true);
        chat.headers("content-type: application/grpc-web+proto\r\nx-grpc-web: 1\r\n");
        boolean first = true;
        for (String text : List.of("Hello grpc!", "Is it working good?")) {
            chat.message(ChatMessage.newBuilder().setMessageText(text).build().toByteArray());
            if (first) {
                // The response headers, as a 0x80 frame, come with the first reply.
                assertThat(WebClient.frames(chat.next()).get(0).flags()).isEqualTo(GrpcWebFormat.TRAILERS);
                first = false;
            }
            LengthPrefixedFrames.Frame reply = WebClient.frames(chat.next()).get(0);
            assertThat(ChatMessage.parseFrom(reply.payload()).getMessageText()).isEqualTo("Received: " + text);
        }
        chat.halfClose();
        List<LengthPrefixedFrames.Frame> rest = chat.untilClosed();
        assertThat(trailers(rest)).startsWith("grpc-status: 0\r\n");
        assertThat(chat.closed.get()).isEqualTo(1000);
    }

    @Test
    void webSocketServerStreamAndBadFrames() throws Exception {
        WebClient.Socket stream = WebClient.Socket.open(client(), SERVER_STREAM, null, true);
        stream.headers("x-grpc-web: 1\r\n");
        stream.message(ChatMessage.newBuilder().setMessageText("start").build().toByteArray());
        stream.halfClose();
        List<LengthPrefixedFrames.Frame> frames = stream.untilClosed();
        assertThat(frames.subList(1, 4)).extracting(frame -> ChatMessage.parseFrom(frame.payload()).getMessageText())
                .containsExactlyElementsOf(ARTICLE_STREAM);
        assertThat(trailers(frames)).startsWith("grpc-status: 0\r\n");

        WebClient.Socket bad = WebClient.Socket.open(client(), CHAT, null, true);
        bad.headers("x-grpc-web: 1\r\n");
        bad.send(new byte[] {7, 7});
        assertThat(trailers(bad.untilClosed())).contains("grpc-status: 3\r\n",
                "neither a message (0x00 ...) nor the end of the requests (0x01)");
    }

    @Test
    void webSocketFromAnotherSiteIsRefused() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> WebClient.Socket.open(client(), CHAT,
                "https://evil.example", true))).hasStackTraceContaining("Unexpected HTTP response status code 403");
        assertThat(rest.getForObject("/actuator/health/readiness", String.class)).contains("UP");
    }

    /**
     * A client that stops reading: the replies it does not take stop the service (flow control), the messages it
     * keeps sending wait, and past {@code web.max-pending-messages} the call ends with RESOURCE_EXHAUSTED; nothing
     * grows without bound.
     */
    @Test
    void aClientThatStopsReadingEndsWithResourceExhausted() throws Exception {
        WebClient.Socket chat = WebClient.Socket.open(client(), CHAT, null, false);
        chat.headers("x-grpc-web: 1\r\n");
        byte[] big = ChatMessage.newBuilder().setMessageText("x".repeat(256 * 1024)).build().toByteArray();
        int sent = 0;
        // 30 MB sent, the replies never read: more than socket buffers hold, so the service must have been stopped.
        while (sent < 120) {
            chat.message(big);
            sent++;
        }
        // Reading now, the client learns how its call ended: after the replies that got through, RESOURCE_EXHAUSTED.
        chat.read();
        List<LengthPrefixedFrames.Frame> frames = chat.untilClosed();
        assertThat(trailers(frames)).contains("grpc-status: 8\r\n", "web.max-pending-messages");
        assertThat(frames.size() - 2).as("replies delivered (headers and trailers aside)").isLessThan(sent);
    }
}
