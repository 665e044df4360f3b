package dev.grpcpatterns.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in README.md and docs/*.md leads somewhere: the file or folder exists in the repository, and
 * an anchor ({@code page.md#section}, {@code #section}) is a heading of that page by GitHub's anchor rules.
 * Links to other sites (a scheme such as {@code https:}) are not followed.
 */
class DocLinksTest {

    static final Path ROOT = Path.of("").toAbsolutePath();

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            Markdown markdown = Markdown.read(page);
            for (Markdown.Line link : markdown.links()) {
                String problem = problem(page, link.text());
                if (problem != null) {
                    broken.add(ROOT.relativize(page) + ":" + link.number() + ": (" + link.text() + ") " + problem);
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void anchorsFollowGitHubsRules() {
        // As github.com renders them (github-slugger): punctuation dropped, each space a hyphen, code marks gone.
        assertThat(Markdown.slug("Start it fast: extracted jar + AOT cache")).isEqualTo("start-it-fast-extracted-jar--aot-cache");
        assertThat(Markdown.slug("The demo and the `client` profile")).isEqualTo("the-demo-and-the-client-profile");
        assertThat(Markdown.slug("Flow control, deadlines and cancellation")).isEqualTo("flow-control-deadlines-and-cancellation");
        assertThat(Markdown.slug("**Bold** [link](x.md) snake_case")).isEqualTo("bold-link-snake_case");
        assertThat(Markdown.slug("Unary: SayHello")).isEqualTo("unary-sayhello");
    }

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** Why {@code target}, linked from {@code page}, does not resolve; null when it does. */
    static String problem(Path page, String target) {
        if (target.isEmpty()) {
            return "is empty";
        }
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") || target.startsWith("//")) {
            return null;   // another site, e-mail, ...
        }
        int hash = target.indexOf('#');
        String file = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!resolved.startsWith(ROOT)) {
            return "leads out of the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file: " + ROOT.relativize(resolved);
        }
        if (anchor == null) {
            return null;
        }
        if (!resolved.toString().endsWith(".md")) {
            return "an anchor into a file that is not Markdown";
        }
        List<String> anchors = List.copyOf(Markdown.read(resolved).anchors());
        return anchors.contains(anchor) ? null
                : "no heading with anchor '" + anchor + "' in " + ROOT.relativize(resolved) + " (its anchors: "
                        + String.join(", ", anchors) + ")";
    }
}
