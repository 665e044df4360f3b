# grpc-patterns as a container image. It packages the jar that Maven built; the build itself needs no network:
#   ./mvnw -B -ntp package -DskipTests && docker build -t grpc-patterns .
# BASE_IMAGE is any image with a Java 25+ runtime and bash (the CI test builds one from Debian and a jlinked JDK 25).
# The jar itself is built for Java 17; the runtime is 25 for its AOT cache (below).
ARG BASE_IMAGE=eclipse-temurin:25-jre

# Stage 1: split the fat jar into Spring Boot's layers, so a code change leaves the dependency layer cached.
FROM ${BASE_IMAGE} AS layers
WORKDIR /layers
COPY target/grpc-patterns.jar .
RUN java -Djarmode=tools -jar grpc-patterns.jar extract --layers --destination extracted

# Stage 2: the runtime.
FROM ${BASE_IMAGE}
RUN groupadd --system --gid 10001 grpc-patterns \
 && useradd --system --uid 10001 --gid grpc-patterns --no-create-home --home-dir /app --shell /usr/sbin/nologin grpc-patterns
WORKDIR /app
# Least- to most-often changing. Root owns the files: the service can read, not rewrite, its own code.
COPY --from=layers /layers/extracted/dependencies/ ./
COPY --from=layers /layers/extracted/spring-boot-loader/ ./
COPY --from=layers /layers/extracted/snapshot-dependencies/ ./
COPY --from=layers /layers/extracted/application/ ./
# Safe without settings: the image runs the prod profile (health status and prometheus only over HTTP, no gRPC
# reflection, no demo, JSON logs), which refuses to start until callers need an identity (JWT issuer and audience,
# or client certificates) or identity.open-on-purpose=true says the gRPC port is open on purpose (docs/docker.md).
# --spring.profiles.active=... on `docker run` replaces it (the client profile, say).
ENV SPRING_PROFILES_ACTIVE=prod
# AOT cache (JDK 25, JEPs 483/514/515): one training run records the classes loaded and linked and the methods'
# profiles; every start maps them instead of loading, linking and profiling again. The workload is the service's own
# self-test, in the prod profile the image runs, asked to be open and to run the demo: it serves, calls all four
# patterns over its own ports and exits 0 (1 if a flow failed, which fails the build). The cache is only valid for
# this JVM and these exact jars, hence built here, after the last COPY. Its rules:
# - --enable-native-access must be the ENTRYPOINT's (it is part of the archived module graph; a mismatch makes the
#   cache unusable); --sun-misc-unsafe-memory-access need not be, but keeps the training as quiet as the service.
# - The GC need not match: a cache trained with G1 (docker build has no memory limit) loads its heap objects under
#   the SerialGC that the JVM picks in a small container (-Xlog:aot: "Loaded heap region"). Compressed oops must
#   match: -Xmx512m keeps them on in training whatever the build machine's memory; a container limit above ~42 GiB
#   (MaxRAMPercentage=75 over 32 GiB of heap) would turn them off at run time and the JVM would start without the cache.
# - The training leaves Tomcat's empty temp directories and the perf-data directory in /tmp: not for the image.
RUN java -Xmx512m --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
        -XX:AOTCacheOutput=grpc-patterns.aot -jar grpc-patterns.jar --identity.open-on-purpose=true \
        --demo.enabled=true --demo.exit-when-done=true --demo.chat-pause=0s --chat.server-stream.interval=0s \
        --grpc.server.port=0 --server.port=0 \
 && rm -rf /tmp/tomcat.* /tmp/hsperfdata_root

# glibc gives every thread that mallocs an arena of its own, up to 8 per core, and freed memory stays scattered over
# them; two arenas hold the JVM's C heap in less resident memory (about 3 MiB less after load, see Performance).
ENV MALLOC_ARENA_MAX=2
USER 10001:10001
EXPOSE 50051 8080
# Readiness over plain HTTP with bash's /dev/tcp: the JRE image has no curl or wget, and a JVM per check would
# cost a second of CPU and ~50 MB every interval. Follows the HTTP port when it is moved by environment. The first
# success ends the start period at once; its length only tolerates a slow start (54 s seen on an overloaded host).
HEALTHCHECK --interval=5s --timeout=3s --start-period=120s --retries=3 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MANAGEMENT_SERVER_PORT:-${SERVER_PORT:-8080}} && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r _ status _ <&3 && [ \"$status\" = 200 ]"]
# Exec form: the JVM is PID 1 and receives docker stop's SIGTERM itself, which starts Spring's graceful shutdown.
# Arguments after the image name (docker run IMAGE --name=value) are Spring arguments. MaxRAMPercentage sizes the
# heap from the container's memory limit; a JVM out of memory exits so the engine can restart it. grpc-netty-shaded
# loads its native transport and uses sun.misc.Unsafe: the two access flags allow both, without a JDK 25 warning
# on every start. A stale or unusable AOT cache is not fatal: the JVM says so and starts the slow way. Every 5 s the
# JVM hands the C heap's freed memory back to the OS (TrimNativeHeapInterval): about 20 MiB less resident after load.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:TrimNativeHeapInterval=5000", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-XX:AOTCache=grpc-patterns.aot", "-jar", "grpc-patterns.jar"]
