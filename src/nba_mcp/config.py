"""Settings, read once at an entry point and passed down.

Every setting has the environment prefix ``NBA_MCP_`` and may also come from a
``.env`` file in the working directory. Library code never reads the
environment itself: it receives a :class:`Settings`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "production", "test"]


class Settings(BaseSettings):
    """The effective configuration of one process."""

    model_config = SettingsConfigDict(
        env_prefix="NBA_MCP_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    environment: Environment = Field(
        default="development", description="development, production or test."
    )
    data_dir: Path = Field(
        default=Path("data"),
        description="Where the embedded SQLite database and other local files live.",
    )
    database_url: SecretStr | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the database, e.g. postgresql+psycopg://user@host/db. "
            "Default: a SQLite file nba.sqlite3 in the data directory."
        ),
    )
    database_read_url: SecretStr | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of a PostgreSQL read replica (or a PgBouncer in session mode "
            "in front of replicas) for the tools' reads. Writes (API keys, request log, "
            "loads), migrations and the data-version watch stay on NBA_MCP_DATABASE_URL. "
            "Unset: everything uses NBA_MCP_DATABASE_URL."
        ),
    )
    log_level: str = Field(default="INFO", description="Logging level of the root logger.")
    log_json: bool = Field(default=False, description="Log JSON lines instead of plain text.")
    access_log: bool = Field(
        default=True,
        description="Write one JSON access-log line per HTTP request (logger nba_mcp.access), "
        "whatever the root level; false leaves access to the metrics and the request log.",
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description=(
            "Host headers the HTTP server accepts when bound beyond loopback "
            '(JSON list, e.g. ["nba.example.com"]); empty accepts any.'
        ),
    )
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Origin headers the HTTP server accepts when bound beyond loopback.",
    )
    nba_api_timeout_seconds: float = Field(
        default=30.0, description="Timeout of one request to NBA.com's stats API."
    )
    nba_api_pause_seconds: float = Field(
        default=0.6, description="Pause between two requests to NBA.com's stats API."
    )
    nba_api_retries: int = Field(
        default=4, description="Attempts per NBA.com request before giving up."
    )

    # --- HTTP service (nba-mcp serve --transport http); see docs/http.md ---
    host: str = Field(
        default="127.0.0.1",
        description="Interface the HTTP server binds (`nba-mcp serve --host` overrides).",
    )
    port: int = Field(
        default=8000, ge=1, le=65535, description="Port of the HTTP server (`--port` overrides)."
    )
    workers: Annotated[int, Field(ge=1)] | Literal["auto"] = Field(
        default=1,
        description="HTTP worker processes, or auto: one per CPU this process may use "
        "(`--workers` overrides).",
    )
    redis_url: SecretStr | None = Field(
        default=None,
        description=(
            "Redis URL of the shared result cache and rate-limit counters, e.g. "
            "redis://:password@redis:6379/0. Unset: no Redis (in-process fallbacks). "
            "Optional for /ready: when down the service reports degraded."
        ),
    )
    redis_socket_timeout_seconds: float = Field(
        default=1.0, gt=0, description="Connect and read timeout of one Redis command."
    )
    s3_endpoint_url: str | None = Field(
        default=None,
        description="Endpoint of an S3-compatible object store (empty: AWS's own endpoint).",
    )
    s3_bucket: str | None = Field(
        default=None,
        description="Bucket of the object store (backups); when set, /ready requires it.",
    )
    s3_region: str = Field(default="us-east-1", description="Region of the object store.")
    s3_access_key_id: SecretStr | None = Field(
        default=None, description="Access key id of the object store (default: boto3's chain)."
    )
    s3_secret_access_key: SecretStr | None = Field(
        default=None, description="Secret access key of the object store."
    )
    ready_timeout_seconds: float = Field(
        default=1.0, gt=0, description="Timeout of each dependency check of /ready."
    )
    max_body_bytes: int = Field(
        default=1_048_576, ge=1, description="Largest accepted HTTP request body (413 beyond)."
    )
    metrics_require_key: bool = Field(
        default=False, description="Require an admin API key to read /metrics."
    )
    worker_threads: int = Field(
        default=4,
        ge=1,
        le=256,
        description=(
            "Threads per HTTP worker for blocking work (queries, key checks). The work is "
            "mostly CPU-bound under one interpreter lock: 4 served 6-26% more requests/s "
            "than 8 (benchmarks/bench_http.py); raise it when slow run_sql queries are common."
        ),
    )
    shutdown_timeout_seconds: int = Field(
        default=25,
        ge=1,
        description="On SIGTERM, how long in-flight HTTP requests may finish before exit.",
    )

    # --- API keys, rate limits, result cache, request log; see docs/security.md ---
    auth_required: bool | None = Field(
        default=None,
        description=(
            "Require an API key on /v1 and /mcp even while no key exists. Unset: true in "
            "production, false otherwise (then requests pass until the first key is created)."
        ),
    )
    allow_unauthenticated_public: bool = Field(
        default=False,
        description="Let the HTTP server bind beyond loopback while no API key exists.",
    )
    auth_cache_seconds: float = Field(
        default=1.0,
        ge=0,
        description=(
            "How long a verified API key is trusted before the database is asked again "
            "(a revoked key stops working within this time; 0 asks every request)."
        ),
    )
    rate_limit_per_minute: int = Field(
        default=600, ge=0, description="Requests per minute per API key (0: no limit)."
    )
    rate_limit_burst: int = Field(
        default=100, ge=1, description="Requests a key may make at once before the rate applies."
    )
    cache_ttl_seconds: int = Field(
        default=300, ge=0, description="Lifetime of a cached tool result (0: no caching)."
    )
    cache_max_entries: int = Field(
        default=2048, ge=1, description="Results kept by the in-process cache (no Redis)."
    )
    cache_wire_max_bytes: int = Field(
        default=64 * 2**20,
        ge=0,
        description="Bytes of finished responses each worker keeps to answer repeated "
        "requests on the event loop (0: none).",
    )
    mcp_fast_path: bool = Field(
        default=True,
        description="Answer a stateless MCP tools/call (JSON response) straight from the "
        "tool catalogue; every other MCP message goes through the SDK.",
    )
    cache_watch: bool = Field(
        default=True,
        description="Learn of loads from a connection that watches the data version "
        "(PostgreSQL LISTEN/NOTIFY, SQLite PRAGMA data_version) instead of reading it on "
        "every cached call. Turn off when the database URL goes through a "
        "transaction-pooling PgBouncer, which does not deliver notifications.",
    )
    request_log_retention_days: int = Field(
        default=30, ge=1, description="Days the request_log table keeps a request."
    )
    sql_database_url: SecretStr | None = Field(
        default=None,
        description="PostgreSQL URL of the read-only login run_sql reads through "
        "(nba_mcp_readonly, made by `nba-mcp db upgrade`; its password is set from this URL). "
        "Default: the database URL with that user and no password (trust, peer or a "
        "password file). run_sql never runs as the service's own user.",
    )
    sql_timeout_seconds: float = Field(
        default=5.0, gt=0, le=300, description="Longest a run_sql query may run."
    )
    sql_max_result_bytes: int = Field(
        default=4 * 1024 * 1024,
        ge=1024,
        le=64 * 1024 * 1024,
        description="Largest run_sql result, as JSON; past it the rows are cut (truncated).",
    )
    db_statement_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        le=3600,
        description="Longest any statement of a tool may run on PostgreSQL (server side).",
    )
    db_network_timeout_seconds: float = Field(
        default=5.0,
        ge=1,
        le=300,
        description="How long PostgreSQL may leave a request unanswered at the network level "
        "(TCP keepalives and tcp_user_timeout) before the connection counts as lost: a "
        "partitioned database fails requests within about this time instead of hanging.",
    )
    auth_failures_per_minute: int = Field(
        default=10,
        ge=0,
        description="Invalid API keys a client address may send per minute before it gets "
        "429 without any key lookup (0: no limit).",
    )
    auth_failure_burst: int = Field(
        default=10, ge=1, description="Invalid API keys a client address may send at once."
    )

    # --- operations: backups, health, alerts; see docs/operations.md ---
    backup_dir: Path | None = Field(
        default=None,
        description="Directory of local backups (default: backups/ in the data directory); "
        "used when no S3 bucket is set or with `ops backup --store local`.",
    )
    backup_s3_prefix: str = Field(
        default="backups/", description="Key prefix of the backups in the S3 bucket."
    )
    backup_max_age_hours: float = Field(
        default=26.0, gt=0, description="`ops health` reports degraded beyond this backup age."
    )
    kubectl_path: str = Field(
        default="kubectl",
        description="The kubectl that `ops health`, `ops incident collect` and the "
        "configuration backup run when it is on the PATH (empty: never).",
    )
    kube_namespace: str = Field(
        default="nba-mcp-synthesis", description="Kubernetes namespace of the deployment."
    )
    slack_webhook_url: SecretStr | None = Field(
        default=None, description="Slack incoming-webhook URL of `ops alert test --channel slack`."
    )
    pagerduty_routing_key: SecretStr | None = Field(
        default=None, description="PagerDuty Events API v2 routing (integration) key."
    )
    pagerduty_events_url: str = Field(
        default="https://events.pagerduty.com/v2/enqueue",
        description="PagerDuty Events API v2 endpoint (a local receiver in tests).",
    )
    alert_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Timeout of one alert delivery (Slack, PagerDuty)."
    )
    llm_providers: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description='More LLM providers, JSON: {"name": {"kind": "openai"|"anthropic", '
        '"base_url": "...", "api_key_env": "ENV_VAR"}} (vLLM, llama.cpp, Ollama, a gateway).',
    )
    synthesis_models: list[str] = Field(
        default_factory=list,
        description='Default models of `ask` and `synthesize`, JSON: ["provider:model", ...].',
    )
    llm_prices: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        description='Price overrides in USD per million tokens, JSON: {"provider:model": '
        '{"input": 0.5, "output": 1.5, "cached_input": 0.1}}; beat the shipped table.',
    )
    synthesis_max_cost_usd: float = Field(
        default=0.50, ge=0, description="Budget of one synthesis run: model cost in USD."
    )
    synthesis_max_tokens: int = Field(
        default=200_000, ge=1, description="Budget of one run: input + output tokens."
    )
    synthesis_max_tool_calls: int = Field(
        default=12, ge=0, le=100, description="Budget of one run: tool calls across models."
    )
    synthesis_max_steps: int = Field(
        default=16, ge=1, le=100, description="Budget of one run: model calls across models."
    )
    synthesis_timeout_seconds: float = Field(
        default=120.0, gt=0, description="Budget of one run: wall-clock seconds."
    )
    synthesis_call_timeout_seconds: float = Field(
        default=45.0, gt=0, description="Timeout of one model call; then the next model."
    )
    synthesis_max_output_tokens: int = Field(
        default=1500, ge=64, le=32_000, description="Output tokens a model may write per call."
    )
    synthesis_max_question_chars: int = Field(
        default=2000, ge=16, le=20_000, description="Longest question `ask` accepts."
    )

    def requires_auth(self) -> bool:
        """Whether /v1 and /mcp need a key even when none exists yet."""
        if self.auth_required is not None:
            return self.auth_required
        return self.environment == "production"

    def resolved_backup_dir(self) -> Path:
        """The local backup directory in force, the default filled in."""
        return self.backup_dir if self.backup_dir is not None else self.data_dir / "backups"

    def resolved_database_url(self) -> str:
        """The database URL in force, the SQLite default filled in."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{(self.data_dir / 'nba.sqlite3').resolve()}"

    def redacted(self) -> dict[str, Any]:
        """Every setting with its effective value, passwords and secrets hidden."""
        shown: dict[str, Any] = {}
        for name, value in self.model_dump().items():
            if isinstance(value, SecretStr):
                shown[name] = "**********"
            elif isinstance(value, Path):
                shown[name] = str(value)
            else:
                shown[name] = value
        shown["database_url"] = redact_url(self.resolved_database_url())
        if self.database_read_url is not None:
            shown["database_read_url"] = redact_url(self.database_read_url.get_secret_value())
        return shown


def redact_url(url: str) -> str:
    """``postgresql://user:secret@host/db`` -> ``postgresql://user:***@host/db``."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
