package dev.grpcpatterns.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Bad chat settings stop the start-up with a message that names the setting. */
class ChatPropertiesTest {

    @EnableConfigurationProperties(ChatProperties.class)
    static class Settings {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Settings.class)
            .withPropertyValues("chat.server-stream.messages=a,b", "chat.server-stream.interval=1s",
                    "chat.client-stream.max-messages=10", "chat.client-stream.max-joined-length=100",
                    "chat.message-log.max-per-second=20");

    @Test
    void bindsValidSettings() {
        context.run(ctx -> assertThat(ctx.getBean(ChatProperties.class).serverStream().messages())
                .containsExactly("a", "b"));
    }

    @Test
    void rejectsANegativeInterval() {
        context.withPropertyValues("chat.server-stream.interval=-1s").run(ctx -> assertThat(ctx)
                .getFailure().rootCause().hasMessage("chat.server-stream.interval must not be negative"));
    }

    @Test
    void rejectsNoMessages() {
        context.withPropertyValues("chat.server-stream.messages=").run(ctx -> assertThat(ctx)
                .getFailure().rootCause().hasMessage("chat.server-stream.messages must not be empty"));
    }

    @Test
    void rejectsAClientStreamWithoutRoomForAMessage() {
        context.withPropertyValues("chat.client-stream.max-messages=0").run(ctx -> assertThat(ctx)
                .getFailure().rootCause().hasMessage("chat.client-stream.max-messages must be at least 1"));
    }

    @Test
    void rejectsAMessageLogWithoutRoomForALine() {
        context.withPropertyValues("chat.message-log.max-per-second=0").run(ctx -> assertThat(ctx)
                .getFailure().rootCause().hasMessage("chat.message-log.max-per-second must be at least 1"));
    }
}
