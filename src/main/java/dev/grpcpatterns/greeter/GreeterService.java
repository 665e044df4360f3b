package dev.grpcpatterns.greeter;

import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.proto.v1.HelloResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import net.devh.boot.grpc.server.service.GrpcService;

/** The unary pattern: one request, one response. */
@GrpcService
public class GreeterService extends GreeterGrpc.GreeterImplBase {

    @Override
    public void sayHello(HelloRequest request, StreamObserver<HelloResponse> responseObserver) {
        if (request.getName().isBlank()) {
            responseObserver.onError(Status.INVALID_ARGUMENT
                    .withDescription("name must not be blank")
                    .asRuntimeException());
            return;
        }
        responseObserver.onNext(HelloResponse.newBuilder()
                .setResponseText("Hello, " + request.getName() + "!")
                .build());
        responseObserver.onCompleted();
    }
}
