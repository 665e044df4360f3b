package dev.grpcpatterns.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Markdown file as the docs tests read it: its lines outside fenced code blocks (a {@code #} inside a
 * {@code sh} block is no heading), its headings' anchors by GitHub's rules, and its table rows.
 */
final class Markdown {

    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```+|~~~+)");
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[([^\\]]*)]\\(([^)]*)\\)");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");

    /** A line of prose (outside code fences) with its 1-based line number. */
    record Line(int number, String text) {
    }

    /** A fenced code block: its info string ({@code sh}, {@code proto}, "" for none), first line's number, lines. */
    record Block(String language, int line, List<String> lines) {
    }

    final Path path;
    final List<Line> prose;
    final List<Block> blocks;

    private Markdown(Path path, List<Line> prose, List<Block> blocks) {
        this.path = path;
        this.prose = prose;
        this.blocks = blocks;
    }

    static Markdown read(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Line> prose = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        String fence = null;
        List<String> code = null;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = FENCE.matcher(lines.get(i));
            if (fence == null && m.find()) {
                fence = m.group(1);
                code = new ArrayList<>();
                blocks.add(new Block(lines.get(i).substring(m.end()).trim(), i + 2, code));
            } else if (fence != null && m.find() && m.group(1).startsWith(fence)) {
                fence = null;
            } else if (fence == null) {
                prose.add(new Line(i + 1, lines.get(i)));
            } else {
                code.add(lines.get(i));
            }
        }
        return new Markdown(path, prose, blocks);
    }

    /** The anchors GitHub gives this file's headings (duplicates numbered -1, -2, ...), and explicit {@code <a id>}s. */
    Set<String> anchors() {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Line line : prose) {
            Matcher heading = HEADING.matcher(line.text());
            if (heading.matches()) {
                String slug = slug(heading.group(2));
                int count = seen.merge(slug, 1, Integer::sum);
                anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
            Matcher html = HTML_ANCHOR.matcher(line.text());
            while (html.find()) {
                anchors.add(html.group(1));
            }
        }
        return anchors;
    }

    /**
     * GitHub's heading anchor (github-slugger): the rendered text, lower-cased, with every character that is not a
     * letter, digit, mark, {@code _}, {@code -} or space removed, and each space turned into {@code -}.
     */
    static String slug(String heading) {
        String text = INLINE_LINK.matcher(heading).replaceAll("$1")   // a link in a heading renders as its text
                .replaceAll("<[^>]+>", "")                             // as do HTML tags
                .replace("`", "")
                .replaceAll("(\\*\\*|__|(?<!\\w)[*_]|[*_](?!\\w))", "");  // emphasis markers, not snake_case
        return text.toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\p{M}_\\- ]", "")
                .replace(' ', '-');
    }

    /** Inline links and images of the prose, code spans excluded: {@code [text](target)} gives (line, target). */
    List<Line> links() {
        List<Line> links = new ArrayList<>();
        for (Line line : prose) {
            Matcher m = INLINE_LINK.matcher(withoutCodeSpans(line.text()));
            while (m.find()) {
                String target = m.group(2).trim();
                int space = target.indexOf(' ');              // [text](target "title")
                links.add(new Line(line.number(), space < 0 ? target : target.substring(0, space)));
            }
        }
        return links;
    }

    /** The rows of the first table under the heading {@code heading}, each split into its cells. */
    List<Row> tableUnder(String heading) {
        List<Row> rows = new ArrayList<>();
        boolean inSection = false;
        for (Line line : prose) {
            Matcher h = HEADING.matcher(line.text());
            if (h.matches()) {
                if (inSection) {
                    break;
                }
                inSection = h.group(2).equals(heading);
            } else if (inSection && line.text().startsWith("|") && !line.text().matches("^\\|[\\s:|-]+\\|\\s*$")) {
                rows.add(new Row(line.number(), cells(line.text())));
            }
        }
        if (rows.size() < 2) {
            throw new AssertionError(path + " has no table under '" + heading + "'");
        }
        return rows.subList(1, rows.size());   // without the header row
    }

    record Row(int line, List<String> cells) {
    }

    /** A table row's cells; a {@code |} inside a code span does not split. */
    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean code = false;
        String body = row.trim().substring(1);
        for (char c : body.toCharArray()) {
            if (c == '`') {
                code = !code;
            }
            if (c == '|' && !code) {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        return cells;
    }

    private static String withoutCodeSpans(String text) {
        return text.replaceAll("`[^`]*`", "``");
    }
}
