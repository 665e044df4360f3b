package dev.grpcpatterns.observability;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * What tracing switched off does not build. Boot's {@code management.tracing.enabled=false} only stops propagation:
 * Brave's tracer, its handlers and Zipkin's sender are built anyway. Here, with tracing off, none of Boot's tracing
 * auto-configurations is even considered (no tracer at all, Micrometer's meters only); with tracing on and export
 * off (no {@value ZipkinExportWithEndpoint#ENDPOINT}, {@link ZipkinExportWithEndpoint}), Zipkin's: Boot would build
 * the HTTP sender and encoder for spans it never hands over. Registered in {@code META-INF/spring.factories}; Boot
 * asks it before evaluating any condition of those classes.
 */
class TracingWhenOn implements AutoConfigurationImportFilter, EnvironmentAware {

    static final String TRACING = "management.tracing.enabled";

    private static final String TRACING_PACKAGE = "org.springframework.boot.actuate.autoconfigure.tracing.";
    private static final String ZIPKIN = TRACING_PACKAGE + "zipkin.ZipkinAutoConfiguration";

    private boolean tracing = true;
    private boolean export = true;

    @Override
    public void setEnvironment(Environment environment) {
        tracing = environment.getProperty(TRACING, Boolean.class, true);
        // Boot's rule (@ConditionalOnEnabledTracing("zipkin")): the exporter's own switch, else tracing's.
        export = tracing && environment.getProperty(ZipkinExportWithEndpoint.EXPORT, Boolean.class, true);
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] match = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < match.length; i++) {
            String name = autoConfigurationClasses[i];
            match[i] = name == null || (tracing || !name.startsWith(TRACING_PACKAGE)) && (export || !name.equals(ZIPKIN));
        }
        return match;
    }
}
