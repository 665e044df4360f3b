package dev.grpcpatterns.chat;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/** Settings of the ChatService ({@code chat.*} in application.yml), checked as they are bound. */
@ConfigurationProperties("chat")
public record ChatProperties(ServerStream serverStream, ClientStream clientStream, MessageLog messageLog) {

    public ChatProperties {
        Assert.notNull(serverStream, "chat.server-stream must be set");
        Assert.notNull(clientStream, "chat.client-stream must be set");
        Assert.notNull(messageLog, "chat.message-log must be set");
    }

    /**
     * @param messages the texts ServerStream sends, in order
     * @param interval the pause between two of them; zero sends them back to back
     */
    public record ServerStream(List<String> messages, Duration interval) {

        public ServerStream {
            Assert.notEmpty(messages, "chat.server-stream.messages must not be empty");
            Assert.noNullElements(messages, "chat.server-stream.messages must not contain null");
            Assert.isTrue(interval != null && !interval.isNegative(),
                    "chat.server-stream.interval must not be negative");
        }
    }

    /**
     * Bounds on one ClientStream call, so a client cannot make the server hold an unbounded text.
     *
     * @param maxMessages     messages one call may send; the next one ends the call with RESOURCE_EXHAUSTED
     * @param maxJoinedLength characters the joined reply may have; beyond it, RESOURCE_EXHAUSTED
     */
    public record ClientStream(int maxMessages, int maxJoinedLength) {

        public ClientStream {
            Assert.isTrue(maxMessages >= 1, "chat.client-stream.max-messages must be at least 1");
            Assert.isTrue(maxJoinedLength >= 1, "chat.client-stream.max-joined-length must be at least 1");
        }
    }

    /**
     * The article's {@code Client Message: <text>} line per Chat message ({@link ChatMessageLog}).
     *
     * @param maxPerSecond lines a second, for the whole service; the messages past it are counted, not logged
     */
    public record MessageLog(int maxPerSecond) {

        public MessageLog {
            Assert.isTrue(maxPerSecond >= 1, "chat.message-log.max-per-second must be at least 1");
        }
    }
}
