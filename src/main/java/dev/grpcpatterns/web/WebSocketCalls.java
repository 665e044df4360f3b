package dev.grpcpatterns.web;

import io.grpc.Channel;
import io.grpc.Status;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * gRPC over WebSocket, improbable-eng's {@code grpc-websockets} subprotocol (the one its gRPC-Web client and
 * nice-grpc-web's {@code WebsocketTransport} speak): one WebSocket per call, at the method's own path. The upgrade is
 * checked here (origin, subprotocol, method) and handed to the servlet container's standard WebSocket upgrade
 * (Jakarta WebSocket 2.1's {@code upgradeHttpToWebSocket}) with a {@link WebSocketCall} for the call.
 */
final class WebSocketCalls {

    static final String SUBPROTOCOL = "grpc-websockets";

    private final Channel channel;
    private final Origins origins;
    private final CallerSlots slots;
    private final WebProperties properties;
    private final int maxMessage;

    WebSocketCalls(Channel channel, Origins origins, CallerSlots slots, WebProperties properties, int maxMessage) {
        this.channel = channel;
        this.origins = origins;
        this.slots = slots;
        this.properties = properties;
        this.maxMessage = maxMessage;
    }

    void upgrade(HttpServletRequest request, HttpServletResponse response, WebMethod method) throws IOException {
        if (!origins.allowWebSocket(request)) {
            WebCallServlet.plain(response, HttpServletResponse.SC_FORBIDDEN, "origin " + request.getHeader("Origin")
                    + " may not open WebSockets here (web.allowed-origins)");
            return;
        }
        if (method == null) {
            WebCallServlet.plain(response, HttpServletResponse.SC_NOT_FOUND, "no method " + request.getRequestURI() + " here");
            return;
        }
        if (!requestsSubprotocol(request)) {
            WebCallServlet.plain(response, HttpServletResponse.SC_BAD_REQUEST,
                    "gRPC over WebSocket needs the subprotocol " + SUBPROTOCOL + " (Sec-WebSocket-Protocol)");
            return;
        }
        ServerContainer container = (ServerContainer) request.getServletContext()
                .getAttribute(ServerContainer.class.getName());
        CallerSlots.Slot slot = slots.take(request.getRemoteAddr());
        // Over the cap the socket still opens, to carry a proper RESOURCE_EXHAUSTED the client can read.
        Status refused = slot != null ? null : Status.RESOURCE_EXHAUSTED.withDescription("more than " + slots.max()
                + " web calls open from " + request.getRemoteAddr() + " (web.max-calls-per-client)");
        WebSocketCall call = new WebSocketCall(channel, method, properties, maxMessage, refused,
                slot != null ? slot::release : () -> { });
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(WebSocketCall.class, method.path())
                .subprotocols(List.of(SUBPROTOCOL))
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(call);
                    }
                })
                .build();
        try {
            container.upgradeHttpToWebSocket(request, response, config, Map.of());
        } catch (DeploymentException | RuntimeException e) {
            if (slot != null) {
                slot.release();
            }
            throw new IOException("WebSocket upgrade failed", e);
        }
    }

    private static boolean requestsSubprotocol(HttpServletRequest request) {
        for (String header : Collections.list(request.getHeaders("Sec-WebSocket-Protocol"))) {
            for (String protocol : header.split(",")) {
                if (protocol.trim().equals(SUBPROTOCOL)) {
                    return true;
                }
            }
        }
        return false;
    }
}
