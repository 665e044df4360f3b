package dev.grpcpatterns.support;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A plain HTTP/2 client that sends whatever bytes a test gives it as a gRPC request body, so the server can be
 * fed input no gRPC stub would produce. One connection; each {@link #call} is one HTTP/2 stream. Public for the
 * benchmark, which checks with it the bodies it has h2load send.
 */
public final class RawHttp2Client implements AutoCloseable {

    /** What came back on one stream: the gRPC status (from trailers), its message, and the reply body. */
    public record Response(String grpcStatus, String grpcMessage, byte[] body, boolean reset) {
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel connection;

    public RawHttp2Client(int port) throws InterruptedException {
        connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                    }
                })
                .connect("localhost", port).sync().channel();
    }

    /** One gRPC message as it goes on the wire: compressed flag, 4-byte length, payload. */
    public static byte[] frame(boolean compressedFlag, int announcedLength, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length)
                .put((byte) (compressedFlag ? 1 : 0))
                .putInt(announcedLength)
                .put(payload)
                .array();
    }

    public static byte[] frame(byte[] payload) {
        return frame(false, payload.length, payload);
    }

    /** POSTs {@code body} (the already framed messages) to {@code path} and waits for the stream to end. */
    public Response call(String path, List<byte[]> body, Duration timeout) throws Exception {
        CompletableFuture<Response> response = new CompletableFuture<>();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection)
                .handler(new ResponseCollector(response))
                .open().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Http2Headers headers = new DefaultHttp2Headers()
                .method("POST").scheme("http").authority("localhost").path(path)
                .add("content-type", "application/grpc")
                .add("te", "trailers");
        stream.write(new DefaultHttp2HeadersFrame(headers, false));
        for (int i = 0; i < body.size(); i++) {
            stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body.get(i)), i == body.size() - 1));
        }
        stream.flush();
        return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        connection.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static final class ResponseCollector extends ChannelInboundHandlerAdapter {

        private final CompletableFuture<Response> response;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private String status;
        private String message;

        ResponseCollector(CompletableFuture<Response> response) {
            this.response = response;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object frame) {
            try {
                if (frame instanceof Http2HeadersFrame headers) {
                    // Trailers, or a trailers-only response: both carry grpc-status.
                    CharSequence grpcStatus = headers.headers().get("grpc-status");
                    if (grpcStatus != null) {
                        status = grpcStatus.toString();
                        CharSequence grpcMessage = headers.headers().get("grpc-message");
                        message = grpcMessage == null ? null : decodePercent(grpcMessage.toString());
                    }
                    if (headers.isEndStream()) {
                        finish(false);
                    }
                } else if (frame instanceof Http2DataFrame data) {
                    ByteBuf content = data.content();
                    byte[] bytes = new byte[content.readableBytes()];
                    content.readBytes(bytes);
                    body.writeBytes(bytes);
                    if (data.isEndStream()) {
                        finish(false);
                    }
                } else if (frame instanceof Http2ResetFrame) {
                    finish(true);
                }
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            finish(true);
        }

        private void finish(boolean reset) {
            response.complete(new Response(status, message, body.toByteArray(), reset));
        }

        /** grpc-message is percent-encoded UTF-8. */
        private static String decodePercent(String encoded) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int i = 0; i < encoded.length(); i++) {
                char c = encoded.charAt(i);
                if (c == '%' && i + 2 < encoded.length()) {
                    bytes.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    bytes.write(c);
                }
            }
            return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
