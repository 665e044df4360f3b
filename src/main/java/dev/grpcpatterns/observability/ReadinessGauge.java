package dev.grpcpatterns.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.stereotype.Component;

/**
 * {@code application.readiness}: 1 while the service accepts traffic, 0 before and from the moment shutdown begins.
 * Boot reports readiness to probes, not to Prometheus; the alert rules need it to tell a replica that is not ready,
 * or whose drain does not finish, from one that is down.
 */
@Component
class ReadinessGauge implements MeterBinder {

    private final ApplicationAvailability availability;

    ReadinessGauge(ApplicationAvailability availability) {
        this.availability = availability;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("application.readiness", availability,
                        a -> a.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC ? 1 : 0)
                .description("1 while the application accepts traffic, else 0")
                .register(registry);
    }
}
