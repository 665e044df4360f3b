package dev.grpcpatterns.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.AppProcess;
import dev.grpcpatterns.support.RawHttp2Client;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile and oversized input against the packaged service, sent as raw HTTP/2 bytes: each gets a clean status
 * (or, for HTTP/1.1, a closed connection), and after each one the service still answers a normal call.
 */
class BadInputIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String SAY_HELLO = "/grpcpatterns.v1.Greeter/SayHello";
    private static final String CHAT = "/grpcpatterns.v1.ChatService/Chat";

    private static AppProcess app;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws InterruptedException {
        app = AppProcess.start("--demo.enabled=false", "--chat.client-stream.max-messages=5",
                "--reliability.max-concurrent-calls-per-connection=2");
        app.awaitOutput("Started GrpcPatternsApplication", Duration.ofMinutes(3));
        channel = app.channel();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (app == null) {
            return;
        }
        String log = app.output();
        app.close();
        // Bad input is the caller's fault: nothing worth an error or a stack trace in our log.
        assertThat(log).doesNotContain(" ERROR ").doesNotContain(" WARN ").doesNotContain("\tat ");
    }

    @AfterEach
    void serviceStillAnswersOthers() {
        assertThat(GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName("still there").build()).getResponseText())
                .isEqualTo("Hello, still there!");
        assertThat(app.isAlive()).isTrue();
    }

    private static RawHttp2Client.Response raw(String path, byte[]... frames) throws Exception {
        try (RawHttp2Client client = new RawHttp2Client(app.grpcPort())) {
            return client.call(path, List.of(frames), TIMEOUT);
        }
    }

    @Test
    void malformedProtobufIsInvalidArgument() throws Exception {
        // Field 1 announces 16 bytes of string, one follows.
        RawHttp2Client.Response response = raw(SAY_HELLO, RawHttp2Client.frame(new byte[] {0x0A, 0x10, 'a'}));

        assertThat(response.grpcStatus()).isEqualTo(code(Status.Code.INVALID_ARGUMENT));
        assertThat(response.grpcMessage())
                .startsWith("request to grpcpatterns.v1.Greeter/SayHello could not be parsed: ")
                .contains("input ended unexpectedly");
    }

    @Test
    void invalidUtf8InAStringFieldIsInvalidArgument() throws Exception {
        RawHttp2Client.Response response = raw(SAY_HELLO,
                RawHttp2Client.frame(new byte[] {0x0A, 0x02, (byte) 0xC3, 0x28}));

        assertThat(response.grpcStatus()).isEqualTo(code(Status.Code.INVALID_ARGUMENT));
        assertThat(response.grpcMessage()).contains("could not be parsed").contains("invalid UTF-8");
    }

    @Test
    void malformedMessageInTheMiddleOfAChatEndsItWithInvalidArgumentAfterTheGoodOnesAreAnswered() throws Exception {
        RawHttp2Client.Response response = raw(CHAT,
                RawHttp2Client.frame(ChatMessage.newBuilder().setMessageText("good").build().toByteArray()),
                RawHttp2Client.frame(new byte[] {(byte) 0xFF, (byte) 0xFF}));

        assertThat(response.grpcStatus()).isEqualTo(code(Status.Code.INVALID_ARGUMENT));
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("Received: good");
    }

    @Test
    void aFrameAnnouncingAHugeLengthIsResourceExhausted() throws Exception {
        RawHttp2Client.Response response = raw(SAY_HELLO, RawHttp2Client.frame(false, Integer.MAX_VALUE, new byte[0]));

        assertThat(response.grpcStatus()).isEqualTo(code(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(response.grpcMessage()).contains("exceeds maximum size");
    }

    @Test
    void aCompressedFlagWithoutCompressionIsInternal() throws Exception {
        byte[] hello = HelloRequest.newBuilder().setName("x").build().toByteArray();
        RawHttp2Client.Response response = raw(SAY_HELLO, RawHttp2Client.frame(true, hello.length, hello));

        assertThat(response.grpcStatus()).isEqualTo(code(Status.Code.INTERNAL));
        assertThat(response.grpcMessage()).contains("compress");
    }

    @Test
    void anUnknownMethodIsUnimplemented() throws Exception {
        RawHttp2Client.Response response = raw("/grpcpatterns.v1.Greeter/NoSuchMethod", RawHttp2Client.frame(new byte[0]));

        assertThat(response.grpcStatus()).isEqualTo(code(Status.Code.UNIMPLEMENTED));
        assertThat(response.grpcMessage()).contains("grpcpatterns.v1.Greeter/NoSuchMethod");
    }

    @Test
    void http11OnTheGrpcPortGetsTheConnectionClosed() throws Exception {
        try (Socket socket = new Socket("localhost", app.grpcPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            // Whatever the server says first (an HTTP/2 GOAWAY), it then closes: read() reaches end of stream.
            while (in.read() != -1) {
                // drain
            }
        }
    }

    @Test
    void aMessageOverTheInboundLimitIsResourceExhausted() throws InterruptedException {
        String twoMegabytes = "x".repeat(2 * 1024 * 1024);
        // Its own connection: grpc-java leaves the rejected stream's HTTP/2 slot taken on the connection
        // (see the README), which would eat into the two slots the limit test below counts on.
        ManagedChannel own = app.channel();
        try {
            assertThatThrownBy(() -> GreeterGrpc.newBlockingStub(own).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .sayHello(HelloRequest.newBuilder().setName(twoMegabytes).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        assertThat(e.getStatus().getDescription()).contains("exceeds maximum size");
                    });
        } finally {
            own.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** The limit goes to clients in HTTP/2 SETTINGS; a grpc-java client then refuses to send bigger headers. */
    @Test
    void requestHeadersOverTheMetadataLimitAreRefused() throws InterruptedException {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-padding", Metadata.ASCII_STRING_MARSHALLER), "p".repeat(16 * 1024));
        ManagedChannel own = app.channel();
        try {
            assertThatThrownBy(() -> GreeterGrpc.newBlockingStub(own)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .sayHello(HelloRequest.newBuilder().setName("padded").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                        assertThat(e.getStatus().getCause())
                                .hasMessageContaining("Header size exceeded max allowed size (8192)");
                    });
        } finally {
            own.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientStreamOverItsMessageLimitIsResourceExhausted() throws Exception {
        ChatStreams.Outcome outcome = ChatStreams.clientStream(channel, 6, TIMEOUT);

        assertThat(outcome.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(outcome.status().getDescription()).isEqualTo("more than 5 messages in one ClientStream call");
        assertThat(ChatStreams.clientStream(channel, 5, TIMEOUT).reply()).isEqualTo("m0 m1 m2 m3 m4");
    }

    @Test
    void callsBeyondTheConnectionLimitWaitUntilOneEnds() throws Exception {
        try (ChatStreams.OpenChat first = ChatStreams.open(channel);
                ChatStreams.OpenChat second = ChatStreams.open(channel)) {
            first.awaitEcho("one", TIMEOUT);
            second.awaitEcho("two", TIMEOUT);

            // A third call on the same connection is held by the client until a stream frees up.
            assertThatThrownBy(() -> GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
                    .sayHello(HelloRequest.newBuilder().setName("third").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));

            first.complete(TIMEOUT);
            assertThat(GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .sayHello(HelloRequest.newBuilder().setName("third").build()).getResponseText())
                    .isEqualTo("Hello, third!");
        }
    }

    private static String code(Status.Code code) {
        return Integer.toString(code.value());
    }
}
