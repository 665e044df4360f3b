package dev.grpcpatterns.web;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a byte stream into length-prefixed frames: one flags byte, a 4-byte big-endian length, the payload. gRPC,
 * gRPC-Web and Connect's streaming envelopes all frame messages this way; the flags differ (gRPC-Web: 0x80 trailers;
 * Connect: 0x02 end of stream; both: 0x01 compressed). Bytes may arrive in any pieces. A length over the limit is
 * refused before any of its payload is held.
 */
final class LengthPrefixedFrames {

    static final int PREFIX = 5;

    /** One frame: its flags byte and its payload. */
    record Frame(int flags, byte[] payload) {
    }

    private final int maxPayload;
    private final byte[] prefix = new byte[PREFIX];
    private int prefixFilled;
    private byte[] payload;
    private int payloadFilled;
    private int flags;

    /** @param maxPayload the largest payload accepted; a bigger one is RESOURCE_EXHAUSTED */
    LengthPrefixedFrames(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    /** Adds bytes; returns the frames they complete, in order. */
    List<Frame> feed(byte[] bytes, int offset, int length) {
        List<Frame> frames = new ArrayList<>(1);
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (payload == null) {
                int take = Math.min(PREFIX - prefixFilled, end - at);
                System.arraycopy(bytes, at, prefix, prefixFilled, take);
                prefixFilled += take;
                at += take;
                if (prefixFilled == PREFIX) {
                    startPayload();
                }
            } else {
                int take = Math.min(payload.length - payloadFilled, end - at);
                System.arraycopy(bytes, at, payload, payloadFilled, take);
                payloadFilled += take;
                at += take;
            }
            if (payload != null && payloadFilled == payload.length) {
                frames.add(new Frame(flags, payload));
                payload = null;
                prefixFilled = 0;
            }
        }
        return frames;
    }

    List<Frame> feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    /** Whether the bytes so far ended on a frame boundary: if not at the end of a body, the body was cut short. */
    boolean atBoundary() {
        return prefixFilled == 0 && payload == null;
    }

    private void startPayload() {
        flags = prefix[0] & 0xFF;
        long length = ((prefix[1] & 0xFFL) << 24) | ((prefix[2] & 0xFF) << 16) | ((prefix[3] & 0xFF) << 8)
                | (prefix[4] & 0xFF);
        if (length > maxPayload) {
            throw new WebProtocolException(Status.Code.RESOURCE_EXHAUSTED,
                    "message of " + length + " bytes is larger than the limit of " + maxPayload + " bytes");
        }
        payload = new byte[(int) length];
        payloadFilled = 0;
    }

    /** A frame of {@code payload} with {@code flags}. */
    static byte[] frame(int flags, byte[] payload) {
        byte[] framed = new byte[PREFIX + payload.length];
        framed[0] = (byte) flags;
        int length = payload.length;
        framed[1] = (byte) (length >>> 24);
        framed[2] = (byte) (length >>> 16);
        framed[3] = (byte) (length >>> 8);
        framed[4] = (byte) length;
        System.arraycopy(payload, 0, framed, PREFIX, length);
        return framed;
    }
}
