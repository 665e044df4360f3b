package dev.grpcpatterns.observability;

import brave.handler.MutableSpan;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import zipkin2.reporter.BytesEncoder;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;

/**
 * Boot's Zipkin span handler, with its sender and encoder, flushed in batches by {@link SpanBatchFlush} instead of
 * by a thread that every span wakes. Built when spans are exported ({@value ZipkinExportWithEndpoint#EXPORT}, true once
 * {@value ZipkinExportWithEndpoint#ENDPOINT} is set); Boot's own handler then stands back.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = {TracingWhenOn.TRACING, ZipkinExportWithEndpoint.EXPORT}, matchIfMissing = true)
class ZipkinSpansInBatches {

    @Bean
    SpanBatchFlush spanBatchFlush() {
        return new SpanBatchFlush(SpanBatchFlush.INTERVAL);
    }

    // Closed by SpanBatchFlush, after its last flush: closed first, the handler would drop what it still holds.
    @Bean(destroyMethod = "")
    AsyncZipkinSpanHandler asyncZipkinSpanHandler(BytesMessageSender sender, BytesEncoder<MutableSpan> encoder,
            SpanBatchFlush flush) {
        AsyncZipkinSpanHandler handler = AsyncZipkinSpanHandler.newBuilder(sender)
                .messageTimeout(0, TimeUnit.MILLISECONDS)
                .metrics(flush)
                .build(encoder);
        flush.start(handler);
        return handler;
    }
}
