package dev.grpcpatterns.web;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Raw HTTP/1.1 and WebSocket calls to the service's HTTP port, as a test needs them: bytes in, bytes out. */
final class WebClient {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    WebClient(int port) {
        this.base = "http://localhost:" + port;
    }

    HttpResponse<byte[]> post(String path, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    URI uri(String path) {
        return URI.create(base + path);
    }

    /** The frames of a gRPC-Web body, each as its flags and payload. */
    static List<LengthPrefixedFrames.Frame> frames(byte[] body) {
        LengthPrefixedFrames decoder = new LengthPrefixedFrames(Integer.MAX_VALUE);
        List<LengthPrefixedFrames.Frame> frames = decoder.feed(body);
        if (!decoder.atBoundary()) {
            throw new AssertionError("the body ends inside a frame");
        }
        return frames;
    }

    static String text(LengthPrefixedFrames.Frame frame) {
        return new String(frame.payload(), StandardCharsets.UTF_8);
    }

    /** A WebSocket call in the grpc-websockets framing; what arrives is queued, and read only when the test asks. */
    static final class Socket implements WebSocket.Listener {

        final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        WebSocket socket;

        static Socket open(WebClient client, String path, String origin, boolean reading) throws Exception {
            Socket listener = new Socket();
            listener.reading = reading;
            WebSocket.Builder builder = client.http.newWebSocketBuilder().subprotocols(WebSocketCalls.SUBPROTOCOL);
            if (origin != null) {
                builder.header("Origin", origin);
            }
            listener.socket = builder.buildAsync(URI.create(client.base.replace("http", "ws") + path), listener)
                    .get(20, TimeUnit.SECONDS);
            return listener;
        }

        private boolean reading;

        void headers(String block) {
            send(block.getBytes(StandardCharsets.US_ASCII));
        }

        void message(byte[] message) {
            byte[] framed = LengthPrefixedFrames.frame(0, message);
            byte[] data = new byte[framed.length + 1];
            System.arraycopy(framed, 0, data, 1, framed.length);
            send(data);
        }

        void halfClose() {
            send(new byte[] {1});
        }

        void send(byte[] data) {
            socket.sendBinary(ByteBuffer.wrap(data), true).join();
        }

        /** Starts reading (again): asks for every message from now on. */
        void read() {
            reading = true;
            socket.request(Long.MAX_VALUE);
        }

        byte[] next() throws InterruptedException {
            byte[] message = received.poll(20, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no WebSocket message within 20 s");
            }
            return message;
        }

        /** The frames of everything received until the server closed the socket. */
        List<LengthPrefixedFrames.Frame> untilClosed() throws Exception {
            closed.get(20, TimeUnit.SECONDS);
            List<LengthPrefixedFrames.Frame> frames = new ArrayList<>();
            byte[] message;
            while ((message = received.poll()) != null) {
                frames.addAll(WebClient.frames(message));
            }
            return frames;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            if (reading) {
                webSocket.request(Long.MAX_VALUE);
            }
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partial.writeBytes(bytes);
            if (last) {
                received.add(partial.toByteArray());
                partial.reset();
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
