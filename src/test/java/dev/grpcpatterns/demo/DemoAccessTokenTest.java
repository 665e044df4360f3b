package dev.grpcpatterns.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.proto.v1.HelloResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2Error;

/**
 * The demo's token on a real plaintext port: not sent unless {@code demo.token-over-plaintext} says so (and then not
 * even fetched), sent as {@code Authorization: Bearer} when it is, and a token that cannot be had fails the call
 * UNAUTHENTICATED saying why. The token source is a stand-in here; DemoTokenIT and the security suite fetch real ones.
 */
class DemoAccessTokenTest {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("Authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final BlockingQueue<String> receivedAuthorization = new LinkedBlockingQueue<>();
    private final AtomicInteger tokensAsked = new AtomicInteger();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        GreeterGrpc.GreeterImplBase greeter = new GreeterGrpc.GreeterImplBase() {
            @Override
            public void sayHello(HelloRequest request, StreamObserver<HelloResponse> response) {
                response.onNext(HelloResponse.newBuilder().setResponseText("hello").build());
                response.onCompleted();
            }
        };
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(ServerInterceptors.intercept(greeter, new ServerInterceptor() {
                    @Override
                    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                            ServerCallHandler<Q, R> next) {
                        receivedAuthorization.add(String.valueOf(headers.get(AUTHORIZATION)));
                        return next.startCall(call, headers);
                    }
                }))
                .build().start();
        channel = Grpc.newChannelBuilderForAddress("localhost", server.getPort(), InsecureChannelCredentials.create())
                .build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    private Status sayHello(Supplier<OAuth2AuthorizedClient> authorizedClient, boolean overPlaintext) {
        Supplier<OAuth2AuthorizedClient> counting = () -> {
            tokensAsked.incrementAndGet();
            return authorizedClient.get();
        };
        try {
            GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .withCallCredentials(new DemoAccessToken(counting, overPlaintext))
                    .sayHello(HelloRequest.newBuilder().setName("token").build());
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    private static OAuth2AuthorizedClient clientWithToken(String token) {
        ClientRegistration registration = ClientRegistration.withRegistrationId("demo").clientId("chat-client")
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).tokenUri("http://localhost/token")
                .build();
        return new OAuth2AuthorizedClient(registration, "grpc-patterns-demo", new OAuth2AccessToken(
                OAuth2AccessToken.TokenType.BEARER, token, Instant.now(), Instant.now().plusSeconds(300)));
    }

    @Test
    void aPlaintextChannelGetsNoTokenAndTheCallSaysWhy() {
        Status status = sayHello(() -> clientWithToken("secret-token"), false);

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).contains("not encrypted", "demo.token-over-plaintext=true");
        assertThat(tokensAsked).as("not even fetched").hasValue(0);
        assertThat(receivedAuthorization).as("the call never left").isEmpty();
    }

    @Test
    void tokenOverPlaintextWhenTheSettingSaysSo() throws InterruptedException {
        assertThat(sayHello(() -> clientWithToken("the-token"), true).getCode()).isEqualTo(Status.Code.OK);
        assertThat(receivedAuthorization.poll(30, TimeUnit.SECONDS)).isEqualTo("Bearer the-token");
    }

    @Test
    void aRegistrationThatCannotBeAuthorizedIsAClearError() {
        Status status = sayHello(() -> null, true);

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).contains("registration 'demo' cannot be authorized", "client_credentials");
        assertThat(receivedAuthorization).isEmpty();
    }

    @Test
    void aRefusedTokenRequestIsAClearError() {
        Status status = sayHello(() -> {
            throw new OAuth2AuthorizationException(new OAuth2Error("invalid_client", "Client authentication failed",
                    null));
        }, true);

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).contains("no access token for the demo channel", "invalid_client");
        assertThat(receivedAuthorization).isEmpty();
    }
}
