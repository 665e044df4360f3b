package dev.grpcpatterns.benchmark;

import java.util.List;

/**
 * What the default profile's seed log costs ({@link VariantCost}): the article's {@code Client Message: <text>}
 * line per Chat message off (as in {@code prod}), as the default profile writes it (at most
 * {@code chat.message-log.max-per-second} lines a second), and for every message (the bound out of reach). The
 * servers' console goes to a file, as a container's goes to its log driver.
 *
 * <p>{@code java -cp <test classpath> -Dbench.jar=target/grpc-patterns.jar dev.grpcpatterns.benchmark.ChatLogCost}
 * (docs/performance.md).
 */
public final class ChatLogCost {

    private ChatLogCost() {
    }

    public static void main(String[] args) throws Exception {
        String on = ServiceCommand.SEED_LOG + "=INFO";
        VariantCost.compare("chat-log", List.of(
                new VariantCost.Variant("seed log off", List.of()),
                new VariantCost.Variant("seed log bounded (default profile)", List.of(on)),
                new VariantCost.Variant("seed log every message", List.of(on,
                        "--chat.message-log.max-per-second=" + Integer.MAX_VALUE))));
    }
}
