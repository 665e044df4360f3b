package dev.grpcpatterns.web.page;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo's inputs and pacing ({@code demo.*}), which the page plays once when it opens: the same flows the demo
 * runs at start-up, from the same settings, so the page shows the article's output without a second copy of it.
 * The page reads the settings by their names, as every user does, not the demo's own record: features do not
 * import each other (the demo package checks the values as it binds them).
 */
@RestController
@ConditionalOnProperty(name = "web.enabled", havingValue = "true")
class PageDemo {

    static final String PATH = "/page/demo.json";

    /** The {@code demo.*} settings the page plays; the others (the channel's, the runner's) are not its business. */
    record Settings(String name, String serverStreamRequest, List<String> clientStreamMessages,
            List<String> chatMessages, Duration chatPause, Duration deadline) {
    }

    /** What the page plays; times in milliseconds, as JavaScript counts them. */
    record Flows(String name, String serverStreamRequest, List<String> clientStreamMessages,
            List<String> chatMessages, long chatPauseMillis, long deadlineMillis) {
    }

    private final Flows flows;

    PageDemo(Environment environment) {
        Settings demo = Binder.get(environment).bindOrCreate("demo", Settings.class);
        flows = new Flows(demo.name(), demo.serverStreamRequest(), demo.clientStreamMessages(), demo.chatMessages(),
                demo.chatPause().toMillis(), demo.deadline().toMillis());
    }

    @GetMapping(PATH)
    Flows flows() {
        return flows;
    }
}
