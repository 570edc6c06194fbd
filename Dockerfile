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
# The server jar: the exporter without the demo and its embedded PostgreSQL.
COPY --from=build /src/target/migration-exporter-server.jar /opt/migration-exporter/migration-exporter.jar

# The JVM's own footprint, not the data, dominates memory: a serial collector, a heap that
# starts small, small thread stacks and code cache keep it low (about 100 MB resident instead
# of 120 MB for a small configuration); no perf-data file, so the root filesystem can stay
# read-only (only /tmp needs to be writable).
ENV JAVA_OPTS="-XX:+UseSerialGC -Xms16m -Xmx64m -Xss512k -XX:ReservedCodeCacheSize=32m -XX:-UsePerfData"

USER 65532:65532
WORKDIR /var/lib/migration-exporter
VOLUME ["/var/lib/migration-exporter"]
EXPOSE 8642

# Liveness through the exporter's own endpoint, with bash alone (the image has no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8642 && printf 'GET /-/healthy HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]

ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/migration-exporter/migration-exporter.jar \"$@\"", "migration-exporter"]
CMD ["--config", "/etc/migration-exporter/migration-exporter.conf"]

# The demo (docker-compose --profile demo): the full jar, listening on the container's network so
# that Prometheus can scrape it; everything else it starts stays on the container's loopback. Its
# PostgreSQL servers need an executable, writable /tmp (a few GB): no read-only root filesystem.
FROM server AS demo
COPY --from=build /src/target/migration-exporter.jar /opt/migration-exporter/migration-exporter-demo.jar
ENV JAVA_OPTS="-XX:+UseSerialGC -Xmx256m -XX:-UsePerfData"
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/migration-exporter/migration-exporter-demo.jar \"$@\"", "migration-exporter"]
CMD ["demo", "--host", "0.0.0.0", "--port", "8642"]

# The default target: the exporter alone.
FROM server
