package dev.grpcpatterns.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.cors.DefaultCorsProcessor;

/**
 * Which pages may call: their own origin always, others only when listed in {@code web.allowed-origins} (none by
 * default). Cross-origin requests are answered per CORS by Spring's own processor (preflights included), with the
 * gRPC-Web and Connect headers a browser must be allowed to send and read. A WebSocket has no CORS: its upgrade is
 * refused here unless same-origin or listed, which stops cross-site WebSocket hijacking.
 */
final class Origins {

    private final CorsConfiguration cors = new CorsConfiguration();
    private final DefaultCorsProcessor processor = new DefaultCorsProcessor();

    Origins(List<String> allowed) {
        cors.setAllowedOrigins(allowed);
        cors.setAllowedMethods(List.of(HttpMethod.POST.name()));
        cors.setAllowedHeaders(List.of(CorsConfiguration.ALL));
        cors.setExposedHeaders(List.of("grpc-status", "grpc-message", "grpc-status-details-bin"));
        cors.setMaxAge(7200L);
    }

    /**
     * Applies CORS to a request: true when it may go on. Otherwise (a preflight, which is answered here, or an origin
     * that is not allowed, refused with 403) the response is written.
     */
    boolean allow(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (CorsUtils.isPreFlightRequest(request)) {
            processor.processRequest(cors, request, response);
            return false;
        }
        return processor.processRequest(cors, request, response);
    }

    /** Whether a WebSocket upgrade may proceed: no Origin (not a browser), its own origin, or an allowed one. */
    boolean allowWebSocket(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        return origin == null || !CorsUtils.isCorsRequest(request) || cors.checkOrigin(origin) != null;
    }
}
