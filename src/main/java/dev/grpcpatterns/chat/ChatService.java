package dev.grpcpatterns.chat;

import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import net.devh.boot.grpc.server.service.GrpcService;

/**
 * The three streaming patterns. Public, as {@code GreeterService}: the benchmark's peers serve this very class on
 * bare grpc-java and on Spring gRPC (src/test/benchmark), which is what makes them a fair comparison.
 */
@GrpcService
public class ChatService extends ChatServiceGrpc.ChatServiceImplBase {

    private final List<ChatMessage> serverStreamMessages;
    private final ChatProperties.ServerStream serverStream;
    private final ChatProperties.ClientStream clientStream;
    private final PacingTimer pacing;
    private final ChatMessageLog messageLog;

    public ChatService(ChatProperties properties, PacingTimer pacing) {
        this.serverStream = properties.serverStream();
        this.clientStream = properties.clientStream();
        // Built once at start-up: every stream sends the same immutable messages.
        this.serverStreamMessages = serverStream.messages().stream()
                .map(ChatService::message)
                .toList();
        this.pacing = pacing;
        this.messageLog = new ChatMessageLog(properties.messageLog().maxPerSecond());
    }

    @Override
    public void serverStream(ChatMessage request, StreamObserver<ChatMessage> responseObserver) {
        new PacedServerStream((ServerCallStreamObserver<ChatMessage>) responseObserver,
                serverStreamMessages, serverStream.interval(), pacing).start();
    }

    @Override
    public StreamObserver<ChatMessage> clientStream(StreamObserver<ChatMessage> responseObserver) {
        return new JoinedClientStream(responseObserver, clientStream);
    }

    @Override
    public StreamObserver<ChatMessage> chat(StreamObserver<ChatMessage> responseObserver) {
        return new EchoChat((ServerCallStreamObserver<ChatMessage>) responseObserver, messageLog);
    }

    static ChatMessage message(String text) {
        return ChatMessage.newBuilder().setMessageText(text).build();
    }
}
