package dev.grpcpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.support.FuzzedService;
import dev.grpcpatterns.support.OpenCalls;
import dev.grpcpatterns.support.TracesInLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Raw request bytes, as any browser or script could send them, through the web decoders and the real servlet into the
 * services: gRPC-Web frames, gRPC-Web's base64 text, Connect's JSON (unary bodies and streaming envelopes) and the
 * WebSocket protocol's header block and messages. Whatever the bytes, the call ends with a status docs/web.md
 * documents for bad input (never {@code UNKNOWN} or {@code INTERNAL}), in the caller's protocol, with no stack trace
 * in the answer or our log, and no call left open.
 *
 * <p>Each input's first byte picks the method (SayHello, ServerStream, ClientStream, Chat); the rest is the body.
 * {@code ./mvnw verify} runs the committed inputs ({@code src/test/resources/dev/grpcpatterns/web/WebFuzzTestInputs/
 * <target>/}); {@code JAZZER_FUZZ=1} fuzzes the one target named by {@code -Dtest} (docs/reliability.md#fuzzing).
 */
@FuzzedService
class WebFuzzTest {

    private static final List<String> PATHS = List.of(GreeterGrpc.getSayHelloMethod(),
                    ChatServiceGrpc.getServerStreamMethod(), ChatServiceGrpc.getClientStreamMethod(),
                    ChatServiceGrpc.getChatMethod()).stream()
            .map(method -> "/" + method.getFullMethodName()).toList();

    /** OK, INVALID_ARGUMENT, RESOURCE_EXHAUSTED, UNIMPLEMENTED (docs/web.md, bad input). */
    private static final Set<Integer> DOCUMENTED = Set.of(0, 3, 8, 12);
    /** ... and, where the request carries its own deadline (the WebSocket header block), DEADLINE_EXCEEDED. */
    private static final Set<Integer> WITH_DEADLINE = Set.of(0, 3, 4, 8, 12);
    private static final Set<String> CONNECT_DOCUMENTED = Set.of("invalid_argument", "resource_exhausted",
            "unimplemented");
    private static final Pattern GRPC_STATUS = Pattern.compile("grpc-status: (\\d+)");
    private static final Pattern CONNECT_CODE = Pattern.compile("\"code\":\"([a-z_]+)\"");

    @RegisterExtension
    static final TracesInLog traces = new TracesInLog();
    private static WebClient client;
    private static int clientPort;

    @LocalServerPort
    private int port;

    @Autowired
    private MeterRegistry meters;

    @FuzzTest(maxDuration = "10m")
    void grpcWeb(byte[] input) throws Exception {
        connectionsToThisServerOnly();
        Response response = post(path(input), GrpcWebFormat.BINARY, body(input));
        checkGrpcWeb(response, response.body());
    }

    @FuzzTest(maxDuration = "10m")
    void grpcWebText(byte[] input) throws Exception {
        connectionsToThisServerOnly();
        Response response = post(path(input), GrpcWebFormat.TEXT, body(input));
        checkGrpcWeb(response, Base64Text.decode(response.body()));
    }

    /** SayHello takes a unary JSON body, the streaming methods JSON envelopes. */
    @FuzzTest(maxDuration = "10m")
    void connectJson(byte[] input) throws Exception {
        connectionsToThisServerOnly();
        String path = path(input);
        boolean unary = path.equals(PATHS.get(0));
        Response response = post(path, unary ? "application/json" : "application/connect+json", body(input));
        String json;
        String code;
        if (unary) {
            json = response.statusCode() == 200 ? "" : new String(response.body(), StandardCharsets.UTF_8);
            code = response.statusCode() == 200 ? null : connectCode(json);
        } else {
            assertThat(response.statusCode()).as("a Connect stream's HTTP status").isEqualTo(200);
            List<LengthPrefixedFrames.Frame> frames = WebClient.frames(response.body());
            LengthPrefixedFrames.Frame end = frames.get(frames.size() - 1);
            assertThat(end.flags()).as("the last envelope ends the stream").isEqualTo(2);
            json = WebClient.text(end);
            code = json.contains("\"error\"") ? connectCode(json) : null;
        }
        if (code != null) {
            assertThat(code).isIn(CONNECT_DOCUMENTED);
        }
        checkServer(json);
    }

    /**
     * The grpc-websockets protocol: after the method byte, pieces each prefixed by a 2-byte length: the first is the
     * header block, the others are WebSocket messages as sent (0x00 and frames, 0x01 for the end of the requests).
     * The end of the requests is always sent last, so that every call ends.
     */
    @FuzzTest(maxDuration = "10m")
    void webSocket(byte[] input) throws Exception {
        connectionsToThisServerOnly();
        WebClient.Socket socket = WebClient.Socket.open(client(), path(input), null, true);
        ByteBuffer pieces = ByteBuffer.wrap(body(input));
        try {
            socket.send(piece(pieces));
            while (pieces.hasRemaining()) {
                socket.send(piece(pieces));
            }
            socket.halfClose();
        } catch (RuntimeException closedByTheServer) {
            // The server may end a call on a bad message before the client has sent the rest.
        }
        List<LengthPrefixedFrames.Frame> frames = socket.untilClosed();
        assertThat(frames).as("the server's frames").isNotEmpty();
        String trailers = WebClient.text(frames.get(frames.size() - 1));
        checkStatus(trailers, WITH_DEADLINE);
        checkServer(trailers);
    }

    /** An HTTP answer: its status and its body, de-chunked. */
    private record Response(int statusCode, byte[] body) {
    }

    /**
     * One POST on a connection of its own ({@code Connection: close}), read to its end. Not a pooling client: the
     * server closes the connection after an error status (Tomcat does for 400 and 501), and a pooled client racing
     * that close reports a failure that is not the server's.
     */
    private Response post(String path, String contentType, byte[] body) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: "
                    + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            byte[] answer = socket.getInputStream().readAllBytes();
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            int headersEnd = text.indexOf("\r\n\r\n");
            assertThat(headersEnd).as("a whole HTTP answer: %s", text).isPositive();
            String head = text.substring(0, headersEnd).toLowerCase(Locale.ROOT);
            byte[] content = Arrays.copyOfRange(answer, headersEnd + 4, answer.length);
            return new Response(Integer.parseInt(text.substring(9, 12)),
                    head.contains("transfer-encoding: chunked") ? dechunked(content) : content);
        }
    }

    private static byte[] dechunked(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = new String(chunked, StandardCharsets.ISO_8859_1).indexOf("\r\n", at);
            int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).trim(), 16);
            if (size == 0) {
                return body.toByteArray();
            }
            body.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    /** The WebSocket client: one for every input, as each would hold a selector thread of its own. */
    private WebClient client() {
        WebClient current = client;
        if (current == null || clientPort != port) {
            client = current = new WebClient(port);
            clientPort = port;
        }
        return current;
    }

    /**
     * The fuzzer's network sanitizer treats a connection as a finding unless allowed: the target connects to the
     * server under test, and to nothing else.
     */
    private void connectionsToThisServerOnly() {
        BugDetectors.allowNetworkConnections((host, to) -> to == port
                && (host.equals("localhost") || host.equals("127.0.0.1")));
    }

    private static String path(byte[] input) {
        return PATHS.get(input.length == 0 ? 0 : (input[0] & 0xFF) % PATHS.size());
    }

    private static byte[] body(byte[] input) {
        return input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    }

    private static byte[] piece(ByteBuffer pieces) {
        int length = pieces.remaining() >= 2 ? pieces.getShort() & 0xFFFF : 0;
        byte[] piece = new byte[Math.min(length, pieces.remaining())];
        pieces.get(piece);
        return piece;
    }

    private void checkGrpcWeb(Response response, byte[] frames) {
        assertThat(response.statusCode()).as("gRPC-Web's HTTP status (its status is in the trailers)").isEqualTo(200);
        List<LengthPrefixedFrames.Frame> decoded = WebClient.frames(frames);
        LengthPrefixedFrames.Frame last = decoded.get(decoded.size() - 1);
        assertThat(last.flags()).as("the last frame carries the trailers").isEqualTo(GrpcWebFormat.TRAILERS);
        String trailers = WebClient.text(last);
        checkStatus(trailers, DOCUMENTED);
        checkServer(trailers);
    }

    private static void checkStatus(String trailers, Set<Integer> documented) {
        Matcher status = GRPC_STATUS.matcher(trailers);
        assertThat(status.find()).as("grpc-status in %s", trailers).isTrue();
        assertThat(Integer.parseInt(status.group(1))).as("status in %s", trailers).isIn(documented);
    }

    private static String connectCode(String json) {
        Matcher code = CONNECT_CODE.matcher(json);
        assertThat(code.find()).as("a Connect error code in %s", json).isTrue();
        return code.group(1);
    }

    /** No stack trace or exception's name in the error, none in the log, and no call left open. */
    private void checkServer(String error) {
        assertThat(error).as("an error without a stack trace").doesNotContain("\tat ")
                .doesNotContainPattern("(?:[a-z]+\\.)+[A-Z]\\w*(?:Exception|Error)\\b");
        assertThat(traces.drain()).as("log events with a stack trace or at ERROR").isEmpty();
        OpenCalls.awaitNone(meters);
    }
}
