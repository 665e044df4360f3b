package dev.grpcpatterns.greeter;

import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.proto.v1.HelloResponse;
import dev.grpcpatterns.errors.RichStatus;
import io.grpc.stub.StreamObserver;
import net.devh.boot.grpc.server.service.GrpcService;

/**
 * The unary pattern: one request, one response. Public, as {@code ChatService}: the benchmark's peers serve this very
 * class on bare grpc-java and on Spring gRPC (src/test/benchmark), which is what makes them a fair comparison.
 */
@GrpcService
public class GreeterService extends GreeterGrpc.GreeterImplBase {

    @Override
    public void sayHello(HelloRequest request, StreamObserver<HelloResponse> responseObserver) {
        if (request.getName().isBlank()) {
            responseObserver.onError(RichStatus.invalidArgument("name", "must not be blank", "BLANK_NAME",
                    "name must not be blank"));
            return;
        }
        responseObserver.onNext(HelloResponse.newBuilder()
                .setResponseText("Hello, " + request.getName() + "!")
                .build());
        responseObserver.onCompleted();
    }
}
