# syntax=docker/dockerfile:1
# The NBA MCP Synthesis service. Build:
#   docker build --build-arg VERSION=0.1.0 --build-arg REVISION="$(git rev-parse HEAD)" -t nba-mcp-synthesis .
# Where base images cannot be pulled, build a local base first (docs/deployment.md):
#   scripts/build-local-base-image.sh
#   podman build --format docker --build-arg BASE_IMAGE=localhost/nba-mcp-base:bookworm .
# (podman needs --format docker to keep the HEALTHCHECK; the OCI format has none.)
# The default base is python:3.11-slim-bookworm; any Debian-like image with python3 (3.11)
# and its venv module works. The final stage holds the virtualenv and nothing to build with.
ARG BASE_IMAGE=python:3.11-slim-bookworm

FROM ${BASE_IMAGE} AS build
ARG UV_VERSION=0.13.9
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=python3 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# Behind a TLS-inspecting proxy, pass its CA bundle as a build secret (it enters no layer):
#   --secret id=ca_bundle,src=/etc/ssl/certs/ca-certificates.crt
# uv from PyPI in a virtualenv of its own (Debian's Python refuses system-wide pip installs).
RUN --mount=type=secret,id=ca_bundle \
    if [ -s /run/secrets/ca_bundle ]; then export PIP_CERT=/run/secrets/ca_bundle; fi \
    && python3 -m venv /opt/uv \
    && /opt/uv/bin/pip install --no-cache-dir "uv==${UV_VERSION}"
WORKDIR /src
# Dependencies first, from the lock file alone: this layer is reused until uv.lock changes.
COPY pyproject.toml uv.lock ./
RUN --mount=type=secret,id=ca_bundle \
    if [ -s /run/secrets/ca_bundle ]; then export SSL_CERT_FILE=/run/secrets/ca_bundle; fi \
    && /opt/uv/bin/uv sync --frozen --no-dev --no-install-project --no-cache
COPY README.md ./
# src/nba_mcp/mcp/glossary.md links to docs/metrics.md: the wheel carries its content.
COPY docs/metrics.md ./docs/metrics.md
COPY src ./src
RUN --mount=type=secret,id=ca_bundle \
    if [ -s /run/secrets/ca_bundle ]; then export SSL_CERT_FILE=/run/secrets/ca_bundle; fi \
    && /opt/uv/bin/uv sync --frozen --no-dev --no-editable --no-cache

FROM ${BASE_IMAGE}
ARG VERSION=0.1.0
# pg_dump and pg_restore for `nba-mcp ops backup` on PostgreSQL (the backup CronJob runs
# this image). pg_dump must be at least the server's major version: Debian 12 ships 15;
# for a newer server pass a client from the PostgreSQL project's apt repository.
ARG PG_CLIENT=postgresql-client-15
ARG REVISION=unknown
LABEL org.opencontainers.image.title="nba-mcp-synthesis" \
      org.opencontainers.image.description="NBA data and Basketball-Reference-exact advanced metrics over MCP and HTTP" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="https://github.com/nba-mcp-synthesis/nba-mcp-synthesis" \
      org.opencontainers.image.licenses="MIT"
# Security updates move the patch version: the major version is pinned by the name.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends "${PG_CLIENT}" \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --gid 10001 nba \
    && useradd --uid 10001 --gid nba --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin nba
COPY --from=build /opt/venv /opt/venv
# Runs with a read-only root filesystem: the only writable place is /tmp (a tmpfs or
# emptyDir), where the SQLite default and the workers' metric files would go.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NBA_MCP_HOST=0.0.0.0 \
    NBA_MCP_PORT=8000 \
    NBA_MCP_DATA_DIR=/tmp/nba-mcp \
    NBA_MCP_LOG_JSON=true
USER 10001:10001
WORKDIR /tmp
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
ENTRYPOINT ["nba-mcp"]
CMD ["serve", "--transport", "http"]
