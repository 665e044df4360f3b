package dev.grpcpatterns.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link UnsafeIdentity} into Spring Boot's start-up failure report (what is wrong, what to do) instead of a
 * stack trace: one log event, one line in {@code prod}'s JSON log.
 */
class UnsafeIdentityAnalyzer extends AbstractFailureAnalyzer<UnsafeIdentity> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnsafeIdentity cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
