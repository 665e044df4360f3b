package dev.grpcpatterns.demo;

import java.util.function.Consumer;

/**
 * The demo's flows for tests in other packages, which check them over TLS, with a token, through nginx, across
 * replicas and through network faults. {@link DemoClient} stays package-private (nothing in main is public for a
 * test), so this one class lives in its package rather than in {@code support/}. A test imports it
 * ({@code @Import(DemoFlows.class)}) and autowires it.
 */
public final class DemoFlows {

    private final DemoClient demo;

    DemoFlows(DemoClient demo) {
        this.demo = demo;
    }

    /** The four flows, each line the article prints handed to {@code out}; a failed call throws. */
    public void runAll(Consumer<String> out) throws InterruptedException {
        demo.runAll(out);
    }

    /** The unary flow alone. */
    public void sayHello(Consumer<String> out) {
        demo.sayHello(out);
    }
}
