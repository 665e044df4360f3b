package dev.grpcpatterns.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.support.ServiceTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The demo's four flows against the service over its real port print the article's lines, in order. */
@ServiceTest
class DemoClientTest {

    @Autowired
    private DemoClient demo;

    @Test
    void printsTheArticlesOutput() throws Exception {
        List<String> lines = new ArrayList<>();
        demo.runAll(lines::add);

        assertThat(lines).containsExactly(
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
    }
}
