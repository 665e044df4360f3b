package dev.grpcpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure decoders of the web protocols, fed good, cut and bad bytes. */
class WebDecodersTest {

    @Test
    void framesArriveWhateverThePiecesTheBytesComeIn() {
        byte[] stream = concat(LengthPrefixedFrames.frame(0, new byte[] {1, 2, 3}),
                LengthPrefixedFrames.frame(0x80, new byte[0]), LengthPrefixedFrames.frame(2, new byte[] {9}));
        for (int piece = 1; piece <= stream.length; piece++) {
            LengthPrefixedFrames decoder = new LengthPrefixedFrames(10);
            List<LengthPrefixedFrames.Frame> frames = new ArrayList<>();
            for (int at = 0; at < stream.length; at += piece) {
                frames.addAll(decoder.feed(stream, at, Math.min(piece, stream.length - at)));
            }
            assertThat(frames).extracting(LengthPrefixedFrames.Frame::flags).containsExactly(0, 0x80, 2);
            assertThat(frames.get(0).payload()).containsExactly(1, 2, 3);
            assertThat(frames.get(1).payload()).isEmpty();
            assertThat(decoder.atBoundary()).isTrue();
        }
    }

    @Test
    void aLengthOverTheLimitIsRefusedBeforeAnyPayloadIsHeld() {
        LengthPrefixedFrames decoder = new LengthPrefixedFrames(10);
        assertThatThrownBy(() -> decoder.feed(new byte[] {0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}))
                .isInstanceOfSatisfying(WebProtocolException.class, e -> {
                    assertThat(e.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.status().getDescription())
                            .isEqualTo("message of 4294967295 bytes is larger than the limit of 10 bytes");
                });
    }

    @Test
    void aBodyCutInsideAFrameIsNotAtABoundary() {
        LengthPrefixedFrames decoder = new LengthPrefixedFrames(10);
        assertThat(decoder.feed(new byte[] {0, 0, 0, 0, 2, 7})).isEmpty();
        assertThat(decoder.atBoundary()).isFalse();
    }

    @Test
    void base64TextTakesConcatenatedPaddedPiecesAndRefusesTheRest() {
        byte[] text = "AQ==AgM=BAUG".getBytes();
        assertThat(Base64Text.decode(text)).containsExactly(1, 2, 3, 4, 5, 6);
        assertThatThrownBy(() -> Base64Text.decode("AQ=".getBytes()))
                .hasMessage("base64 text of 3 characters is not a whole number of 4-character groups");
        assertThatThrownBy(() -> Base64Text.decode("A*==".getBytes()))
                .hasMessage("invalid base64 character at position 1");
        assertThatThrownBy(() -> Base64Text.decode("A===".getBytes()))
                .hasMessage("invalid base64 character at position 1");
    }

    @Test
    void headerBlocksParseAndGrpcMessagesArePercentEncoded() {
        List<String> lines = new ArrayList<>();
        WebMetadata.Block.parse("authorization: Bearer x\r\nx-custom:  y \r\n".getBytes(),
                (name, value) -> lines.add(name + "=" + value));
        assertThat(lines).containsExactly("authorization=Bearer x", "x-custom=y");
        assertThatThrownBy(() -> WebMetadata.Block.parse("no colon here\r\n".getBytes(), (n, v) -> { }))
                .hasMessage("header line without a name and a colon: no colon here");
        assertThat(GrpcWebFormat.percentEncoded("50% done\r\né")).isEqualTo("50%25 done%0D%0A%C3%A9");
    }

    @Test
    void onlyTheCallersOwnHeadersBecomeMetadata() {
        io.grpc.Metadata metadata = new io.grpc.Metadata();
        for (String name : List.of("Cookie", "Host", "Origin", "grpc-timeout", "connect-protocol-version",
                "Sec-Fetch-Mode", "Content-Type")) {
            assertThat(WebMetadata.add(metadata, name, "x")).as(name).isFalse();
        }
        assertThat(WebMetadata.add(metadata, "Authorization", "Bearer t")).isTrue();
        assertThat(WebMetadata.add(metadata, "traceparent", "00-1-2-01")).isTrue();
        assertThat(WebMetadata.add(metadata, "x-trace-bin", "AQI=")).isTrue();
        assertThat(metadata.keys()).containsExactlyInAnyOrder("authorization", "traceparent", "x-trace-bin");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
