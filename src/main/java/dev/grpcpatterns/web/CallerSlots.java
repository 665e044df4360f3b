package dev.grpcpatterns.web;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many web calls each client address has open, capped at {@code web.max-calls-per-client}: one browser (or
 * script) cannot hold all of the server's calls. Addresses with no call open are forgotten.
 */
final class CallerSlots {

    /** One call's slot; releasing it more than once releases it once. */
    final class Slot {

        private final String client;
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Slot(String client) {
            this.client = client;
        }

        void release() {
            if (held.compareAndSet(true, false)) {
                open.computeIfPresent(client, (address, count) -> count == 1 ? null : count - 1);
            }
        }
    }

    private final int max;
    private final ConcurrentMap<String, Integer> open = new ConcurrentHashMap<>();

    CallerSlots(int max) {
        this.max = max;
    }

    /** A slot for {@code client}, or null when it already has the maximum open. */
    Slot take(String client) {
        boolean[] taken = {false};
        open.compute(client, (address, count) -> {
            int current = count == null ? 0 : count;
            if (current >= max) {
                return count;
            }
            taken[0] = true;
            return current + 1;
        });
        return taken[0] ? new Slot(client) : null;
    }

    int max() {
        return max;
    }
}
