package dev.grpcpatterns.web.page;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.rpc.ErrorDetailsProto;
import com.google.rpc.StatusProto;
import dev.grpcpatterns.proto.v1.ChatProto;
import dev.grpcpatterns.proto.v1.GreeterProto;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The contract as the page's protobuf library reads it: a serialized {@code FileDescriptorSet} of the two service
 * files, taken from the generated Java classes, and of {@code google.rpc}'s status and error details, so the page
 * builds its messages and services at run time (no code generation for the browser) and reads rich errors.
 * Built once at start-up.
 */
@RestController
@ConditionalOnProperty(name = "web.enabled", havingValue = "true")
class PageDescriptors {

    static final String PATH = "/page/descriptors.binpb";

    private final byte[] descriptorSet;

    PageDescriptors() {
        Set<FileDescriptor> files = new LinkedHashSet<>();
        for (FileDescriptor file : new FileDescriptor[] {GreeterProto.getDescriptor(), ChatProto.getDescriptor(),
                StatusProto.getDescriptor(), ErrorDetailsProto.getDescriptor()}) {
            addWithDependencies(file, files);
        }
        FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
        files.forEach(file -> set.addFile(file.toProto()));
        descriptorSet = set.build().toByteArray();
    }

    /** Dependencies first, each file once, as a descriptor set lists them. */
    private static void addWithDependencies(FileDescriptor file, Set<FileDescriptor> files) {
        if (files.contains(file)) {
            return;
        }
        file.getDependencies().forEach(dependency -> addWithDependencies(dependency, files));
        files.add(file);
    }

    @GetMapping(value = PATH, produces = "application/x-protobuf")
    ResponseEntity<byte[]> descriptorSet() {
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(descriptorSet);
    }
}
