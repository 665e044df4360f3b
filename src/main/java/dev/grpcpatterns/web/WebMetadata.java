package dev.grpcpatterns.web;

import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Between HTTP headers and gRPC metadata. A web request's headers become the call's metadata (so {@code authorization},
 * {@code traceparent} and a caller's own headers reach the interceptors as on the gRPC port), except those that belong
 * to HTTP, to the browser or to the web protocol itself. {@code -bin} values travel as base64, as gRPC-Web specifies.
 */
final class WebMetadata {

    /** Headers of HTTP, the browser, or the web protocols, which the call must not see as its metadata. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-type", "content-length",
            "content-encoding", "transfer-encoding", "te", "trailer", "upgrade", "keep-alive", "proxy-connection",
            "expect", "accept", "accept-encoding", "accept-language", "accept-charset", "origin", "referer", "cookie",
            "user-agent", "x-user-agent", "x-grpc-web", "cache-control", "pragma", "priority", "dnt");

    private WebMetadata() {
    }

    static boolean forwarded(String lowerCaseName) {
        return !NOT_FORWARDED.contains(lowerCaseName)
                && !lowerCaseName.startsWith("grpc-")
                && !lowerCaseName.startsWith("connect-")
                && !lowerCaseName.startsWith("sec-")
                && !lowerCaseName.startsWith("access-control-")
                && !lowerCaseName.startsWith(":");
    }

    /** Adds one header to the metadata if it is forwarded and a valid metadata key; returns whether it was. */
    static boolean add(Metadata metadata, String name, String value) {
        String key = name.toLowerCase(Locale.ROOT);
        if (!forwarded(key)) {
            return false;
        }
        try {
            if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                Metadata.Key<byte[]> binary = Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER);
                for (String part : value.split(",")) {
                    metadata.put(binary, Base64.getDecoder().decode(part.trim()));
                }
            } else {
                metadata.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value);
            }
            return true;
        } catch (IllegalArgumentException notMetadata) {
            // A header name gRPC does not allow (or bad base64 in a -bin value): HTTP's business, not the call's.
            return false;
        }
    }

    /**
     * A call's response headers as HTTP headers: gRPC's own ({@code grpc-encoding}, {@code grpc-accept-encoding})
     * describe the in-process call, not this response, and stay behind.
     */
    static void forEachHeader(Metadata headers, BiConsumer<String, String> header) {
        forEach(headers, (key, value) -> {
            if (!key.startsWith("grpc-")) {
                header.accept(key, value);
            }
        });
    }

    /** Every entry of {@code metadata} as text: binary values base64-encoded. */
    static void forEach(Metadata metadata, BiConsumer<String, String> entry) {
        for (String key : metadata.keys()) {
            if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                for (byte[] value : metadata.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER))) {
                    entry.accept(key, Base64.getEncoder().encodeToString(value));
                }
            } else {
                for (String value : metadata.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
                    entry.accept(key, value);
                }
            }
        }
    }

    /**
     * A header block as gRPC-Web's trailers and the WebSocket protocol's first message carry it: {@code key: value}
     * lines ending in CRLF.
     */
    static final class Block {

        private final StringBuilder text = new StringBuilder();

        Block add(String key, String value) {
            text.append(key).append(": ").append(value).append("\r\n");
            return this;
        }

        Block addAll(Metadata metadata) {
            forEach(metadata, this::add);
            return this;
        }

        byte[] bytes() {
            return text.toString().getBytes(StandardCharsets.US_ASCII);
        }

        /** Parses a block into its header lines, in order; a line without a name and a colon is INVALID_ARGUMENT. */
        static void parse(byte[] block, BiConsumer<String, String> header) {
            for (String line : new String(block, StandardCharsets.US_ASCII).split("\r\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new WebProtocolException(io.grpc.Status.Code.INVALID_ARGUMENT,
                            "header line without a name and a colon: " + abbreviate(line));
                }
                header.accept(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }

        private static String abbreviate(String line) {
            return line.length() <= 40 ? line : line.substring(0, 40) + "...";
        }
    }
}
