package dev.grpcpatterns.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.support.ArticleOutput;
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

        assertThat(lines).containsExactlyElementsOf(ArticleOutput.LINES);
    }
}
