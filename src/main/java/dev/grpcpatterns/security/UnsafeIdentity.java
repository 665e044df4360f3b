package dev.grpcpatterns.security;

/** A start-up that {@link IdentityCheck} refuses: what is unsafe, and what to set instead. */
final class UnsafeIdentity extends RuntimeException {

    private final String action;

    UnsafeIdentity(String description, String action) {
        super(description);
        this.action = action;
    }

    String action() {
        return action;
    }
}
