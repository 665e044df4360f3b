package dev.grpcpatterns.support;

import java.util.List;

/** The lines the article's four client programs print, in order: what the demo must print too. */
public final class ArticleOutput {

    public static final List<String> LINES = List.of(
            "Hello, Hyeonghwan!",
            "Received message: Hello world",
            "Received message: This is server streaming grpc",
            "Received message: Good bye",
            "msg1 msg2 msg3",
            "Client Message: Hello grpc!",
            "Received message: Received: Hello grpc!",
            "Client Message: This is Bidirectional Streaming RPC!",
            "Received message: Received: This is Bidirectional Streaming RPC!",
            "Client Message: Is it working good?",
            "Received message: Received: Is it working good?");

    private ArticleOutput() {
    }
}
