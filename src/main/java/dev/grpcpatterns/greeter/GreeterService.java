package dev.grpcpatterns.greeter;

import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.proto.v1.HelloResponse;
import dev.grpcpatterns.errors.RichStatus;
import io.grpc.stub.StreamObserver;
import net.devh.boot.grpc.server.service.GrpcService;

/** The unary pattern: one request, one response. */
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
