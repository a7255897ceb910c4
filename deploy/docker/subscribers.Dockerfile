# syntax=docker/dockerfile:1
# The subscribers (HAProxy, PgBouncer, command hook), with the tools they drive: haproxy (for
# `haproxy -c` on every rewritten file, and to run HAProxy itself from this same image, so the
# checking and the running HAProxy are one version) and psql (PgBouncer's admin console).
#
# Build from the repository root after `./mvnw -pl subscribers -am package -DskipTests`:
#   docker build -f deploy/docker/subscribers.Dockerfile -t baton-subscribers:0.1.0-SNAPSHOT .
FROM debian:bookworm-slim

ARG DEBIAN_FRONTEND=noninteractive
RUN groupadd --system --gid 10001 baton \
 && useradd --system --uid 10001 --gid baton --home-dir /var/lib/baton --shell /usr/sbin/nologin baton \
 && mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends \
      openjdk-17-jre-headless haproxy postgresql-client-15 tini curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 # Shared with the HAProxy container: the admin socket, and the file the subscriber owns (in a
 # directory of its own: it is replaced by rename).
 && mkdir -p /run/haproxy /etc/haproxy/baton /var/lib/baton/hook \
 && chown baton:baton /run/haproxy /etc/haproxy/baton /var/lib/baton/hook

COPY subscribers/target/lib/ /opt/baton/subscribers/lib/
COPY subscribers/target/baton-subscribers-*.jar /opt/baton/subscribers/baton-subscribers.jar

ENV BATON_HAPROXY_CONFIG_FILE=/etc/haproxy/baton/baton.cfg \
    MICRONAUT_SERVER_HOST=0.0.0.0 \
    JAVA_OPTS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"

USER baton
WORKDIR /var/lib/baton
EXPOSE 9464
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s \
  CMD curl -fsS -o /dev/null http://127.0.0.1:9464/health || exit 1
ENTRYPOINT ["/usr/bin/tini", "--", "/bin/sh", "-c", "exec java $JAVA_OPTS -jar /opt/baton/subscribers/baton-subscribers.jar \"$@\"", "baton-subscribers"]
