package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.benchmark.LoadGenerator.Workload;
import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.RawHttp2Client;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives one server with h2load (nghttp2), a native HTTP/2 client, so that the JVM client's own cost cannot hide
 * a difference: one client thread, {@code bench.h2load-connections} connections (8) with {@code outstanding}
 * streams each, every stream a gRPC call whose whole request body h2load posts at once (the framed messages of the
 * workload, prepared here). A round is an amount of work, not a time, so that every server does the same in a
 * round whatever its speed: {@code bench.h2load-round-calls} calls of one request (unary, ServerStream: 60,000), and
 * {@code bench.h2load-round-stream-messages} request messages of ClientStream and Chat (600,000); 0 for either:
 * rounds of the time given instead. h2load
 * reads no trailers, so before the first round on a server each body is sent once by a client that does
 * ({@link RawHttp2Client}): it must come back with {@code grpc-status: 0} and the expected number of messages.
 * Chat's requests all go in one body ({@code chatMessages} of them, fewer than the stubs send, so that a round
 * completes many calls): h2load cannot wait for echoes, so there is no window.
 */
final class H2Load implements ClientLoad {

    private static final Pattern FINISHED = Pattern.compile("finished in ([0-9.]+)(m?s)");
    private static final Pattern REQUESTS = Pattern.compile(
            "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored");

    private final int port;
    private final LoadGenerator.Shape shape;
    private final int connections;
    private final long roundCalls;
    private final long roundStreamMessages;
    private final Map<Workload, Body> bodies = new EnumMap<>(Workload.class);
    private boolean checked;

    /** What one call posts, and how many messages it counts for. */
    private record Body(String path, Path file, byte[] bytes, int requests, int replies, int counted) {
    }

    /**
     * Writes the request bodies for {@code port}'s server into {@code directory}; connections and the rounds' size
     * from {@code bench.h2load-connections}, {@code bench.h2load-round-calls} and
     * {@code bench.h2load-round-stream-messages}.
     */
    H2Load(int port, LoadGenerator.Shape shape, int serverStreamMessages, int chatMessages, Path directory)
            throws IOException {
        this.port = port;
        this.shape = shape;
        this.connections = Integer.getInteger("bench.h2load-connections", 8);
        this.roundCalls = Long.getLong("bench.h2load-round-calls", 60_000);
        this.roundStreamMessages = Long.getLong("bench.h2load-round-stream-messages", 600_000);
        Files.createDirectories(directory);
        byte[] hello = HelloRequest.newBuilder().setName("benchmark").build().toByteArray();
        byte[] message = ChatMessage.newBuilder().setMessageText("benchmark").build().toByteArray();
        bodies.put(Workload.UNARY, body(GreeterGrpc.getSayHelloMethod(), hello, 1, 1, 1, directory));
        bodies.put(Workload.SERVER_STREAM, body(ChatServiceGrpc.getServerStreamMethod(), message, 1,
                serverStreamMessages, serverStreamMessages, directory));
        bodies.put(Workload.CLIENT_STREAM, body(ChatServiceGrpc.getClientStreamMethod(), message,
                shape.clientStreamMessages(), 1, shape.clientStreamMessages(), directory));
        bodies.put(Workload.CHAT, body(ChatServiceGrpc.getChatMethod(), message, chatMessages, chatMessages,
                chatMessages, directory));
    }

    private static Body body(MethodDescriptor<?, ?> method, byte[] message, int requests, int replies, int counted,
            Path directory) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < requests; i++) {
            body.writeBytes(RawHttp2Client.frame(message));
        }
        Path file = directory.resolve(method.getBareMethodName() + ".body");
        Files.write(file, body.toByteArray());
        return new Body("/" + method.getFullMethodName(), file, body.toByteArray(), requests, replies, counted);
    }

    @Override
    public LoadGenerator.Result run(Workload workload, Duration duration) throws Exception {
        Body body = bodies.get(workload);
        long planned = body.requests() == 1 ? roundCalls : roundStreamMessages / body.requests();
        return planned > 0
                ? load(body, List.of("-n", Long.toString(Math.max(connections * shape.outstanding(), planned))))
                : warmUp(workload, duration);
    }

    /** For a time, whatever the rounds' size: the JIT's work to do before the rounds differs from server to server. */
    @Override
    public LoadGenerator.Result warmUp(Workload workload, Duration duration) throws Exception {
        return load(bodies.get(workload), List.of("-D", Long.toString(duration.toSeconds())));
    }

    private LoadGenerator.Result load(Body body, List<String> size) throws Exception {
        if (!checked) {
            check();
            checked = true;
        }
        List<String> command = new ArrayList<>(List.of("h2load", "-t", "1", "-c", Integer.toString(connections),
                "-m", Integer.toString(shape.outstanding())));
        command.addAll(size);
        command.addAll(List.of("-d", body.file().toString(), "-H", "content-type: application/grpc",
                "-H", "te: trailers", "http://127.0.0.1:" + port + body.path()));
        Process h2load = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(h2load.getInputStream().readAllBytes());
        // Output read to its end: h2load has exited, or closed its output and is about to.
        if (!h2load.waitFor(60, TimeUnit.SECONDS) || h2load.exitValue() != 0) {
            h2load.destroyForcibly();
            throw new IllegalStateException("h2load failed:\n" + output);
        }
        Matcher finished = FINISHED.matcher(output);
        Matcher requests = REQUESTS.matcher(output);
        if (!finished.find() || !requests.find()) {
            throw new IllegalStateException("h2load's output not understood:\n" + output);
        }
        long failed = Long.parseLong(requests.group(5)) + Long.parseLong(requests.group(6));
        if (failed > 0) {
            throw new IllegalStateException(failed + " of h2load's calls failed:\n" + output);
        }
        long calls = Long.parseLong(requests.group(4));
        double seconds = Double.parseDouble(finished.group(1)) / (finished.group(2).equals("ms") ? 1000 : 1);
        long total = calls * body.counted();
        return new LoadGenerator.Result(total / seconds, total, new long[0]);
    }

    /** Each body once through a client that reads trailers: status OK and every reply there. */
    private void check() throws Exception {
        try (RawHttp2Client client = new RawHttp2Client(port)) {
            for (Map.Entry<Workload, Body> entry : bodies.entrySet()) {
                Body body = entry.getValue();
                RawHttp2Client.Response response = client.call(body.path(), List.of(body.bytes()),
                        Duration.ofSeconds(60));
                int replies = frames(response.body());
                if (!"0".equals(response.grpcStatus()) || replies != body.replies()) {
                    throw new IllegalStateException(entry.getKey() + " through h2load's body: grpc-status "
                            + response.grpcStatus() + " (" + response.grpcMessage() + "), " + replies
                            + " replies instead of " + body.replies());
                }
            }
        }
    }

    private static int frames(byte[] body) {
        ByteBuffer buffer = ByteBuffer.wrap(body);
        int frames = 0;
        while (buffer.remaining() >= 5) {
            buffer.get();
            int length = buffer.getInt();
            buffer.position(buffer.position() + length);
            frames++;
        }
        return frames;
    }

    @Override
    public void close() {
        // Each run is a process of its own: nothing stays open between runs.
    }
}
