package dev.grpcpatterns.demo;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.SecurityLevel;
import io.grpc.Status;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;

/**
 * The demo channel's bearer token as call credentials, from the OAuth2 client registration {@code demo} (its
 * authorized client: null when the registration cannot be authorized without a user). It is sent only over a connection that keeps it private
 * (TLS) unless {@code demo.token-over-plaintext} says otherwise: on a plaintext channel anyone on the path could
 * read it and call as the demo. A token that cannot be had fails the call with {@code UNAUTHENTICATED} and why,
 * never with an exception of the credentials' own (grpc-java would turn that into {@code UNAVAILABLE}).
 * The token is fetched on the call's executor, not on the thread that starts the call.
 */
final class DemoAccessToken extends CallCredentials {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("Authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Supplier<OAuth2AuthorizedClient> authorizedClient;
    private final boolean overPlaintext;

    DemoAccessToken(Supplier<OAuth2AuthorizedClient> authorizedClient, boolean overPlaintext) {
        this.authorizedClient = authorizedClient;
        this.overPlaintext = overPlaintext;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        if (!overPlaintext && info.getSecurityLevel() != SecurityLevel.PRIVACY_AND_INTEGRITY) {
            applier.fail(Status.UNAUTHENTICATED.withDescription("the demo channel is not encrypted, so its bearer "
                    + "token is not sent (TLS: grpc.client.demo.negotiation-type=tls; or demo.token-over-plaintext"
                    + "=true)"));
            return;
        }
        executor.execute(() -> {
            OAuth2AuthorizedClient client;
            try {
                client = authorizedClient.get();
            } catch (RuntimeException e) {
                applier.fail(Status.UNAUTHENTICATED.withDescription(
                        "no access token for the demo channel from registration '" + DemoServiceConfig.CHANNEL + "': "
                                + e.getMessage()));
                return;
            }
            if (client == null) {
                applier.fail(Status.UNAUTHENTICATED.withDescription("no access token for the demo channel: "
                        + "registration '" + DemoServiceConfig.CHANNEL + "' cannot be authorized without a "
                        + "user (its authorization-grant-type must be client_credentials)"));
                return;
            }
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + client.getAccessToken().getTokenValue());
            applier.apply(headers);
        });
    }

    @Override
    public String toString() {
        return "DemoAccessToken[" + DemoServiceConfig.CHANNEL + "]";
    }
}
