package dev.grpcpatterns.web;

import com.google.protobuf.Descriptors;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * One method as the web side calls it: bytes in, bytes out (the service's own marshallers parse and write them on the
 * other side of the in-process call), and, for Connect's JSON, the message types from the service's schema.
 *
 * @param path     {@code /package.Service/Method}, the URL path of every web protocol
 * @param bytes    the method with byte-array marshallers
 * @param json     JSON of its request and response types; null when the service has no protobuf schema
 */
record WebMethod(String path, MethodDescriptor<byte[], byte[]> bytes, JsonCodec json) {

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static WebMethod of(String fullMethodName, MethodType type, Descriptors.MethodDescriptor schema) {
        MethodDescriptor<byte[], byte[]> bytes = MethodDescriptor.newBuilder(BYTES, BYTES)
                .setFullMethodName(fullMethodName)
                .setType(type)
                .build();
        JsonCodec json = schema == null ? null : new JsonCodec(schema.getInputType(), schema.getOutputType());
        return new WebMethod("/" + fullMethodName, bytes, json);
    }

    MethodType type() {
        return bytes.getType();
    }

    /** Unary and server streaming take one request: the shapes a plain HTTP request/response carries best. */
    boolean singleRequest() {
        return type() == MethodType.UNARY || type() == MethodType.SERVER_STREAMING;
    }

    /** Unary and client streaming answer with one reply. */
    boolean singleReply() {
        return type() == MethodType.UNARY || type() == MethodType.CLIENT_STREAMING;
    }
}
