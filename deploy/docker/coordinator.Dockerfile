# syntax=docker/dockerfile:1
# The coordinator: a Kafka Streams application. Its local state (RocksDB) is a cache of Kafka
# changelogs and may live on an ephemeral volume.
#
# Build from the repository root after `./mvnw -pl coordinator -am package -DskipTests`:
#   docker build -f deploy/docker/coordinator.Dockerfile -t baton-coordinator:0.1.0-SNAPSHOT .
FROM debian:bookworm-slim

ARG DEBIAN_FRONTEND=noninteractive
RUN groupadd --system --gid 10001 baton \
 && useradd --system --uid 10001 --gid baton --home-dir /var/lib/baton --shell /usr/sbin/nologin baton \
 && mkdir -p /usr/share/man/man1 /var/lib/baton/coordinator \
 && chown -R baton:baton /var/lib/baton \
 && apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless tini curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

COPY coordinator/target/lib/ /opt/baton/coordinator/lib/
COPY coordinator/target/baton-coordinator-*.jar /opt/baton/coordinator/baton-coordinator.jar

ENV BATON_COORDINATOR_STATE_DIRECTORY=/var/lib/baton/coordinator \
    MICRONAUT_SERVER_HOST=0.0.0.0 \
    JAVA_OPTS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"

USER baton
WORKDIR /var/lib/baton
EXPOSE 8420
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8420/health || exit 1
ENTRYPOINT ["/usr/bin/tini", "--", "/bin/sh", "-c", "exec java $JAVA_OPTS -jar /opt/baton/coordinator/baton-coordinator.jar \"$@\"", "baton-coordinator"]
