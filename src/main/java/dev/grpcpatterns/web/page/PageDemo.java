package dev.grpcpatterns.web.page;

import dev.grpcpatterns.demo.DemoProperties;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo's inputs and pacing ({@code demo.*}), which the page plays once when it opens: the same flows the demo
 * runs at start-up, from the same settings, so the page shows the article's output without a second copy of it.
 */
@RestController
@ConditionalOnProperty(name = "web.enabled", havingValue = "true")
class PageDemo {

    static final String PATH = "/page/demo.json";

    /** What the page plays; times in milliseconds, as JavaScript counts them. */
    record Flows(String name, String serverStreamRequest, List<String> clientStreamMessages,
            List<String> chatMessages, long chatPauseMillis, long deadlineMillis) {
    }

    private final Flows flows;

    PageDemo(DemoProperties demo) {
        flows = new Flows(demo.name(), demo.serverStreamRequest(), demo.clientStreamMessages(), demo.chatMessages(),
                demo.chatPause().toMillis(), demo.deadline().toMillis());
    }

    @GetMapping(PATH)
    Flows flows() {
        return flows;
    }
}
