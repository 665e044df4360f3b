package dev.grpcpatterns.reliability;

import java.util.Collection;
import net.devh.boot.grpc.server.service.AnnotationGrpcServiceDiscoverer;
import net.devh.boot.grpc.server.service.GrpcServiceDefinition;
import org.springframework.stereotype.Component;

/**
 * net.devh's service discovery (it replaces net.devh's default one), with every discovered service behind the
 * {@link UnparseableRequestGuard}.
 */
@Component
class GuardedServiceDiscoverer extends AnnotationGrpcServiceDiscoverer {

    @Override
    public Collection<GrpcServiceDefinition> findGrpcServices() {
        return super.findGrpcServices().stream()
                .map(service -> new GrpcServiceDefinition(service.getBeanName(), service.getBeanClazz(),
                        UnparseableRequestGuard.guard(service.getDefinition())))
                .toList();
    }
}
