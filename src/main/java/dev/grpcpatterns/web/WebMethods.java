package dev.grpcpatterns.web;

import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every method the in-process server serves, by URL path; built once at start-up. */
final class WebMethods {

    private final Map<String, WebMethod> byPath;
    private final List<String> services;

    WebMethods(List<ServerServiceDefinition> services) {
        this.byPath = services.stream()
                .flatMap(service -> service.getMethods().stream())
                .map(WebMethods::method)
                .collect(Collectors.toUnmodifiableMap(WebMethod::path, Function.identity()));
        this.services = services.stream().map(service -> service.getServiceDescriptor().getName()).sorted().toList();
    }

    private static WebMethod method(ServerMethodDefinition<?, ?> definition) {
        var descriptor = definition.getMethodDescriptor();
        var schema = descriptor.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier proto
                ? proto.getMethodDescriptor()
                : null;
        return WebMethod.of(descriptor.getFullMethodName(), descriptor.getType(), schema);
    }

    /** The method at a URL path, or null. */
    WebMethod at(String path) {
        return byPath.get(path);
    }

    /** The full names of the services, for the servlet's URL mappings ({@code /<service>/*}). */
    List<String> services() {
        return services;
    }
}
