package dev.grpcpatterns.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.proto.v1.HelloResponse;
import io.grpc.CallOptions;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the guard promises whoever adds an interceptor (docs/development.md): behind it, an interceptor sees the
 * generated descriptor and parsed messages; a request that does not parse never reaches it, and it hears of that
 * call's end. In-process: the guard's contract, not the wire (BadInputIT and RequestFuzzTest take the real port).
 */
class UnparseableRequestGuardTest {

    private final List<Object> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        GreeterGrpc.GreeterImplBase greeter = new GreeterGrpc.GreeterImplBase() {
            @Override
            public void sayHello(HelloRequest request, StreamObserver<HelloResponse> responses) {
                responses.onNext(HelloResponse.newBuilder().setResponseText("Hello, " + request.getName()).build());
                responses.onCompleted();
            }
        };
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                seen.add(call.getMethodDescriptor());
                return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
                    @Override
                    public void onMessage(Q message) {
                        seen.add(message);
                        super.onMessage(message);
                    }

                    @Override
                    public void onCancel() {
                        ended.countDown();
                        super.onCancel();
                    }

                    @Override
                    public void onComplete() {
                        ended.countDown();
                        super.onComplete();
                    }
                };
            }
        };
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(UnparseableRequestGuard.guard(ServerInterceptors.intercept(greeter, recorder)))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void anInterceptorBehindTheGuardSeesTheGeneratedDescriptorAndParsedMessages() throws InterruptedException {
        HelloRequest request = HelloRequest.newBuilder().setName("Hyeonghwan").build();
        HelloResponse response = ClientCalls.blockingUnaryCall(channel, GreeterGrpc.getSayHelloMethod(),
                CallOptions.DEFAULT, request);

        assertThat(response.getResponseText()).isEqualTo("Hello, Hyeonghwan");
        assertThat(seen).containsExactly(GreeterGrpc.getSayHelloMethod(), request);
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anUnparseableRequestNeverReachesTheInterceptorWhichHearsOfItsEnd() throws InterruptedException {
        MethodDescriptor<byte[], HelloResponse> raw = GreeterGrpc.getSayHelloMethod()
                .toBuilder(new Bytes(), GreeterGrpc.getSayHelloMethod().getResponseMarshaller()).build();

        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT,
                new byte[] {0x0a, 0x05, 'a'}))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThat(seen).containsExactly(GreeterGrpc.getSayHelloMethod());
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            throw new UnsupportedOperationException("requests only");
        }
    }
}
