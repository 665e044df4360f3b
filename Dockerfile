# grpc-patterns as a container image. It packages the jar that Maven built; the build itself needs no network:
#   ./mvnw -B -ntp package -DskipTests && docker build -t grpc-patterns .
# BASE_IMAGE is any image with a Java 17 runtime and bash (the CI test builds one from Debian packages).
ARG BASE_IMAGE=eclipse-temurin:17-jre

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
# Class-data sharing: a training run that stops once the context is refreshed (before any port opens) records the
# classes it loaded; every start maps them instead of parsing them again. The archive is only valid for this JVM
# and these exact jars, hence built here, on the runtime base, after the last COPY.
RUN java -XX:MaxRAMPercentage=75 -XX:ArchiveClassesAtExit=grpc-patterns.jsa -Dspring.context.exit=onRefresh \
        -jar grpc-patterns.jar

USER 10001:10001
EXPOSE 50051 8080
# Readiness over plain HTTP with bash's /dev/tcp: the JRE image has no curl or wget, and a JVM per check would
# cost a second of CPU and ~50 MB every interval. Follows the HTTP port when it is moved by environment. The first
# success ends the start period at once; its length only tolerates a slow start (54 s seen on an overloaded host).
HEALTHCHECK --interval=5s --timeout=3s --start-period=120s --retries=3 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MANAGEMENT_SERVER_PORT:-${SERVER_PORT:-8080}} && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r _ status _ <&3 && [ \"$status\" = 200 ]"]
# Exec form: the JVM is PID 1 and receives docker stop's SIGTERM itself, which starts Spring's graceful shutdown.
# Arguments after the image name (docker run IMAGE --name=value) are Spring arguments. MaxRAMPercentage sizes the
# heap from the container's memory limit; a JVM out of memory exits so the engine can restart it.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile=grpc-patterns.jsa", "-jar", "grpc-patterns.jar"]
