package dev.grpcpatterns.web;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A method's messages between protobuf's canonical JSON (proto3 JSON mapping, lowerCamelCase names, as Connect's JSON
 * codec and every protobuf runtime write it) and protobuf bytes. Unknown fields in a request are ignored, as
 * protobuf's binary format ignores them (and connect-go's JSON codec does); JSON that is not a request is
 * INVALID_ARGUMENT with the parser's reason.
 */
final class JsonCodec {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final Pattern QUALIFIED_NAME = Pattern.compile("(?:[a-z][\\w$]*\\.)+[A-Z][\\w$]*: ");
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final Descriptor request;
    private final Descriptor response;

    JsonCodec(Descriptor request, Descriptor response) {
        this.request = request;
        this.response = response;
    }

    /** An empty body is the empty message, as Connect's JSON codecs read it. */
    byte[] requestToBytes(byte[] json) {
        if (json.length == 0) {
            return new byte[0];
        }
        DynamicMessage.Builder message = DynamicMessage.newBuilder(request);
        try {
            PARSER.merge(new String(json, StandardCharsets.UTF_8), message);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new WebProtocolException(Status.Code.INVALID_ARGUMENT,
                    "request is not a valid " + request.getFullName() + " in JSON: " + reason(e));
        }
        return message.build().toByteArray();
    }

    /**
     * The parser's own words ("End of input at line 1 column 9 path $.name"), without the names of the exceptions
     * that carried them (JsonFormat's message can start with the class name of Gson's exception it wraps).
     */
    private static String reason(Exception e) {
        return e.getMessage() == null ? "unreadable" : QUALIFIED_NAME.matcher(e.getMessage()).replaceAll("");
    }

    byte[] responseToJson(byte[] bytes) {
        try {
            return PRINTER.print(DynamicMessage.parseFrom(response, bytes)).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            // The service's own reply: cannot fail unless the schema and the service disagree.
            throw new IllegalStateException("reply is not a " + response.getFullName(), e);
        }
    }
}
