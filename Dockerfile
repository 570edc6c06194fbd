# migration-exporter as a container: built from source, run as a non-root user on a JRE.
# The default image holds the server jar only (no demo); the `demo` target adds the full jar.
#   docker build -t migration-exporter .
#   docker run --read-only --tmpfs /tmp -v migration-state:/var/lib/migration-exporter \
#     -v "$PWD/my.conf:/etc/migration-exporter/migration-exporter.conf:ro" -p 8642:8642 migration-exporter
# The configuration must keep its phase state in the volume:
#   phases.state-file = /var/lib/migration-exporter/migration-exporter.state.json

FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, in their own layer, so that a source change does not download them again.
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src ./src
RUN mvn -B -ntp -q package -DskipTests

FROM eclipse-temurin:17.0.13_11-jre AS server
RUN groupadd --system --gid 65532 exporter \
 && useradd --system --uid 65532 --gid exporter --no-create-home \
      --home-dir /var/lib/migration-exporter --shell /usr/sbin/nologin exporter \
 && mkdir -p /var/lib/migration-exporter /etc/migration-exporter \
 && chown exporter:exporter /var/lib/migration-exporter
# The server jar: the exporter without the demo and its embedded PostgreSQL, and its launcher,
# bin/migration-exporter, which sets the recommended JVM flags (the same for the Procfile, the
# README and the benchmarks: see bench/RESULTS.md for each one's effect).
COPY --from=build /src/target/migration-exporter-server.jar /opt/migration-exporter/migration-exporter.jar
COPY bin/migration-exporter bin/cds-archive /opt/migration-exporter/bin/
ENV MIGRATION_EXPORTER_JAR=/opt/migration-exporter/migration-exporter.jar
# The class data sharing archive, written by a training run with this image's java and jar (it
# serves no other): the first scrape comes about a second sooner. The launcher finds it next to
# the jar (migration-exporter.jsa); it is only read, so the root filesystem can stay read-only.
# It extends the JDK's own archive, which `java -Xshare:dump` (re)writes in case the JRE has none.
RUN java -Xshare:dump > /dev/null && /opt/migration-exporter/bin/cds-archive

USER 65532:65532
WORKDIR /var/lib/migration-exporter
VOLUME ["/var/lib/migration-exporter"]
EXPOSE 8642

# Liveness through the exporter's own endpoint, with bash alone (the image has no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8642 && printf 'GET /-/healthy HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]

# More JVM flags: -e MIGRATION_EXPORTER_JAVA_OPTS=-Xmx64m (after the launcher's: a later flag wins).
ENTRYPOINT ["/opt/migration-exporter/bin/migration-exporter"]
CMD ["--config", "/etc/migration-exporter/migration-exporter.conf"]

# The demo (docker-compose --profile demo): the full jar, listening on the container's network so
# that Prometheus can scrape it; everything else it starts stays on the container's loopback. Its
# PostgreSQL servers need an executable, writable /tmp (a few GB): no read-only root filesystem.
FROM server AS demo
COPY --from=build /src/target/migration-exporter.jar /opt/migration-exporter/migration-exporter-demo.jar
# The demo runs two PostgreSQL servers and their fakes in the same JVM: a larger heap; no archive.
ENV MIGRATION_EXPORTER_JAR=/opt/migration-exporter/migration-exporter-demo.jar \
    MIGRATION_EXPORTER_JAVA_OPTS="-Xmx256m"
CMD ["demo", "--host", "0.0.0.0", "--port", "8642"]

# The default target: the exporter alone.
FROM server
