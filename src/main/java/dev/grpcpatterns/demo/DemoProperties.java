package dev.grpcpatterns.demo;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * Settings of the demo flows ({@code demo.*} in application.yml), checked as they are bound; the defaults are
 * the article's inputs.
 *
 * @param enabled whether the service runs the demo against itself once it is ready
 * @param exitWhenDone whether the service then stops, with exit status 0 when all four flows answered and 1
 *     otherwise: a self-test of a build or an image, and the workload of the start-up cache's training run
 * @param name SayHello's name
 * @param serverStreamRequest the text of ServerStream's one request
 * @param clientStreamMessages the texts ClientStream sends
 * @param chatMessages the texts Chat sends
 * @param chatPause how long Chat waits after each answer before sending the next text
 * @param deadline the deadline of every demo call
 */
@ConfigurationProperties("demo")
public record DemoProperties(
        boolean enabled,
        boolean exitWhenDone,
        String name,
        String serverStreamRequest,
        List<String> clientStreamMessages,
        List<String> chatMessages,
        Duration chatPause,
        Duration deadline) {

    public DemoProperties {
        Assert.hasText(name, "demo.name must not be blank");
        Assert.notNull(serverStreamRequest, "demo.server-stream-request must be set");
        Assert.notEmpty(clientStreamMessages, "demo.client-stream-messages must not be empty");
        Assert.noNullElements(clientStreamMessages, "demo.client-stream-messages must not contain null");
        Assert.notEmpty(chatMessages, "demo.chat-messages must not be empty");
        Assert.noNullElements(chatMessages, "demo.chat-messages must not contain null");
        Assert.isTrue(chatPause != null && !chatPause.isNegative(), "demo.chat-pause must not be negative");
        Assert.isTrue(deadline != null && deadline.toMillis() >= 1, "demo.deadline must be at least 1ms");
    }
}
