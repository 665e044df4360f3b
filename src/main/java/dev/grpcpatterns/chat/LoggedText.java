package dev.grpcpatterns.chat;

/**
 * A caller's text as it may appear in a log line: its first {@value #MAX_LENGTH} characters, the rest only counted,
 * and every character that could end or disguise a line escaped (control characters as {@code \n}, {@code \r},
 * {@code \t} or {@code \}{@code uXXXX}; line and paragraph separators and invisible format characters such as
 * bidirectional overrides as {@code \}{@code uXXXX}; the backslash itself doubled). So a message of 1 MiB cannot
 * flood the log, and a message cannot start a line of its own that would pass for an entry of ours.
 */
final class LoggedText {

    static final int MAX_LENGTH = 200;

    private LoggedText() {
    }

    static String of(String text) {
        int end = Math.min(text.length(), MAX_LENGTH);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never half a character
        }
        StringBuilder out = new StringBuilder(end + 32);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || disguises(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (end < text.length()) {
            out.append("... (").append(text.length() - end).append(" more characters)");
        }
        return out.toString();
    }

    private static boolean disguises(char c) {
        int type = Character.getType(c);
        return type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
    }
}
