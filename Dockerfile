# The Patchwarden operator image (ghcr.io/patchwarden/operator). Built by `make image`; see
# docs/install.md, "Container images", for the choices made here and how to build, pin and push.
#
#   docker build -t ghcr.io/patchwarden/operator:0.1.0-SNAPSHOT --build-arg VERSION=0.1.0-SNAPSHOT .
#
# Needs BuildKit (Docker 23+ default, docker buildx) or Buildah/Podman. The build context is the
# repository root; .dockerignore admits only the poms and the main sources.
#
# Base images are build arguments so they can be pinned by digest without editing this file:
#   --build-arg BUILD_IMAGE=maven:3.9.11-eclipse-temurin-17@sha256:<digest>
#   --build-arg RUNTIME_IMAGE=gcr.io/distroless/java17-debian12:nonroot@sha256:<digest>
# The defaults are pinned by tag only (the Maven version and Java 17; Debian 12 for the runtime);
# tags move when their publishers rebuild them.
ARG BUILD_IMAGE=maven:3.9.11-eclipse-temurin-17
ARG RUNTIME_IMAGE=gcr.io/distroless/java17-debian12:nonroot

# ---- Stage 1: the shaded operator jar. The jar is the same on every platform, so this stage
# runs on the build machine's own platform even when building an image for another one.
FROM --platform=$BUILDPLATFORM ${BUILD_IMAGE} AS build
WORKDIR /src

# Dependencies and plugins first, from the poms alone: this layer is reused until a pom changes.
# Every module's pom is needed (the root pom lists them all). The reactor's own artifacts are
# excluded from the download (they do not exist yet).
COPY pom.xml ./
COPY api/pom.xml api/
COPY agent/pom.xml agent/
COPY operator/pom.xml operator/
RUN mvn -B -ntp -q -pl operator -am -Dspotless.check.skip=true \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:go-offline

# Then the sources (main only: tests do not run here) and the jar the shade plugin writes:
# operator/target/patchwarden-operator.jar. Formatting is CI's job, not the image build's.
COPY api/src/main api/src/main
COPY agent/src/main agent/src/main
COPY operator/src/main operator/src/main
RUN mvn -B -ntp -pl operator -am package -DskipTests -Dspotless.check.skip=true

# ---- Stage 2: the runtime. Distroless Java 17: a JRE and its libraries, no shell, no package
# manager; its "nonroot" user is UID/GID 65532, the one the Helm chart runs the pod as.
FROM ${RUNTIME_IMAGE}
ARG RUNTIME_IMAGE
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
# The repository's URL (make image passes the git remote's); registries such as ghcr.io link the
# image to it.
ARG SOURCE_URL=

LABEL org.opencontainers.image.title="patchwarden-operator" \
      org.opencontainers.image.description="Patchwarden: patch management for Kubernetes nodes and agent-managed endpoints, as a Kubernetes operator" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.base.name="${RUNTIME_IMAGE}"

# The jar only, owned by root and read-only for the operator's user. Nothing else is written at
# run time except JVM temp files under /tmp (the chart mounts an emptyDir there and keeps the
# root filesystem read-only).
COPY --from=build /src/operator/target/patchwarden-operator.jar /app/patchwarden-operator.jar

# Numeric, so Kubernetes can verify runAsNonRoot without a passwd lookup; equal to runAsUser and
# runAsGroup in helm/patchwarden (DockerfileTest checks both).
USER 65532:65532

# 8081: /healthz, /readyz, /metrics, /report. 8443: the agent gateway.
EXPOSE 8081 8443

# Exec form: java is PID 1 and gets SIGTERM directly (the operator releases its Lease on it).
# "java" is found on the image's PATH (distroless: /usr/bin/java), so another JRE base works too.
# No heap flags here: they would override JAVA_TOOL_OPTIONS, which the chart sets
# (-XX:MaxRAMPercentage=75). On OutOfMemoryError the JVM exits and Kubernetes restarts it.
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/patchwarden-operator.jar"]
