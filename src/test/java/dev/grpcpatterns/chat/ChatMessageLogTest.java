package dev.grpcpatterns.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The article's line through Logback, bounded per second; what is left out is counted on the next line. */
@ExtendWith(OutputCaptureExtension.class)
class ChatMessageLogTest {

    private final AtomicLong now = new AtomicLong(42);
    private final ChatMessageLog log = new ChatMessageLog(2, now::get);

    @Test
    void logsUpToTheBoundASecondAndThenSaysHowManyItLeftOut(CapturedOutput output) {
        for (String text : new String[] {"one", "two", "three", "four", "five"}) {
            log.received(text);
        }
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        log.received("six");
        assertThat(lines(output)).containsExactly("Client Message: one", "Client Message: two");

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));   // a second after the window began: a new one
        log.received("seven");
        log.received("eight");
        log.received("nine");
        assertThat(lines(output)).containsExactly("Client Message: one", "Client Message: two",
                "Client Message: 4 more not logged (chat.message-log.max-per-second)", "Client Message: seven",
                "Client Message: eight");
    }

    private static java.util.List<String> lines(CapturedOutput output) {
        return output.getOut().lines().filter(line -> line.contains(ChatMessageLog.LOGGER))
                .map(line -> line.substring(line.indexOf("Client Message: "))).toList();
    }
}
