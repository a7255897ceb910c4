# syntax=docker/dockerfile:1
# The agent and the PostgreSQL it supervises, in one image: the agent starts PostgreSQL as its
# child process, stops it, fences it, rewinds it, so both must share a container.
#
# Build from the repository root after `./mvnw -pl agent -am package -DskipTests`:
#   docker build -f deploy/docker/agent.Dockerfile -t baton-agent:0.1.0-SNAPSHOT .
FROM debian:bookworm-slim

ARG DEBIAN_FRONTEND=noninteractive
# A fixed uid/gid, so Kubernetes' runAsUser/fsGroup and volume ownership can name it. Created
# before the packages, which then keep it.
RUN groupadd --system --gid 999 postgres \
 && useradd --system --uid 999 --gid postgres --home-dir /var/lib/postgresql --shell /bin/bash postgres \
 && mkdir -p /var/lib/postgresql /usr/share/man/man1 \
 && chown postgres:postgres /var/lib/postgresql \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-common \
 # No Debian-managed cluster: the agent owns the one data directory of this container.
 && sed -ri 's/^#?[[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' \
      /etc/postgresql-common/createcluster.conf \
 && apt-get install -y --no-install-recommends \
      postgresql-15 openjdk-17-jre-headless tini curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

COPY agent/target/lib/ /opt/baton/agent/lib/
COPY agent/target/baton-agent-*.jar /opt/baton/agent/baton-agent.jar
COPY deploy/postgres/roles.sql deploy/postgres/set-password.sql deploy/postgres/pg_hba.conf deploy/postgres/postgresql.conf /opt/baton/postgres/
COPY --chmod=0755 deploy/docker/bin/baton-agent deploy/docker/bin/baton-init-data /opt/baton/bin/

# The data directory is a subdirectory of the volume: PostgreSQL wants it 0700 and owned by
# postgres, which a volume's root (with fsGroup, group-writable) is not. The agent's own files
# (its PostgreSQL config file, pgpass, PostgreSQL's log, the socket) sit beside it.
RUN mkdir -p /var/lib/postgresql/data \
 && chown postgres:postgres /var/lib/postgresql/data \
 && chmod 0700 /var/lib/postgresql/data
VOLUME /var/lib/postgresql/data

ENV PATH=/opt/baton/bin:$PATH \
    AGENT_HOME=/opt/baton \
    BATON_POSTGRES_DATA_DIRECTORY=/var/lib/postgresql/data/pgdata \
    BATON_AGENT_STATE_DIRECTORY=/var/lib/postgresql/data/agent \
    BATON_POSTGRES_LISTEN_ADDRESSES="*" \
    # The API must be reachable from outside the container: probes, peers, HAProxy checks.
    MICRONAUT_SERVER_HOST=0.0.0.0 \
    # PostgreSQL shares the container's memory: keep the agent's heap small.
    JAVA_OPTS="-XX:MaxRAMPercentage=15 -XX:+ExitOnOutOfMemoryError"

USER postgres
WORKDIR /var/lib/postgresql
EXPOSE 5432 8008
HEALTHCHECK --interval=5s --timeout=3s --start-period=120s \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8008/health || exit 1
STOPSIGNAL SIGTERM
# tini as PID 1: forwards SIGTERM to the agent only (the agent then stops PostgreSQL itself) and
# reaps whatever PostgreSQL or the watchdog leave behind.
ENTRYPOINT ["/usr/bin/tini", "--", "/opt/baton/bin/baton-agent"]
CMD ["run"]
