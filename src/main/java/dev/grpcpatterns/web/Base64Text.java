package dev.grpcpatterns.web;

import io.grpc.Status;
import java.io.ByteArrayOutputStream;

/**
 * gRPC-Web's text mode ({@code application/grpc-web-text}): standard base64 whose pieces may each be padded, so a
 * body can be several base64 strings one after the other ({@code AAAA==AAAA}). Decoded quantum by quantum (four
 * characters), which is exactly what allows that; anything else is INVALID_ARGUMENT with its position.
 */
final class Base64Text {

    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Base64Text() {
    }

    static byte[] decode(byte[] text) {
        if (text.length % 4 != 0) {
            throw invalid("base64 text of " + text.length + " characters is not a whole number of 4-character groups");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length / 4 * 3);
        for (int at = 0; at < text.length; at += 4) {
            int padding = text[at + 3] == '=' ? (text[at + 2] == '=' ? 2 : 1) : 0;
            int bits = 0;
            for (int i = 0; i < 4 - padding; i++) {
                bits = (bits << 6) | value(text[at + i], at + i);
            }
            bits <<= 6 * padding;
            bytes.write(bits >>> 16);
            if (padding < 2) {
                bytes.write(bits >>> 8);
            }
            if (padding < 1) {
                bytes.write(bits);
            }
        }
        return bytes.toByteArray();
    }

    static byte[] encode(byte[] bytes) {
        return java.util.Base64.getEncoder().encode(bytes);
    }

    private static int value(byte character, int position) {
        int value = character >= 0 ? VALUES[character] : -1;
        if (value < 0) {
            throw invalid("invalid base64 character at position " + position);
        }
        return value;
    }

    private static WebProtocolException invalid(String description) {
        return new WebProtocolException(Status.Code.INVALID_ARGUMENT, description);
    }
}
