package dev.grpcpatterns.authserver;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** How many access tokens each client got: a test sees when a client renews its token. */
@Component
class IssuedTokens {

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    void issued(String clientId) {
        counts.computeIfAbsent(clientId, id -> new AtomicInteger()).incrementAndGet();
    }

    int count(String clientId) {
        AtomicInteger count = counts.get(clientId);
        return count == null ? 0 : count.get();
    }
}
