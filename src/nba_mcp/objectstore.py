"""The S3 client built from the ``NBA_MCP_S3_*`` settings, shared by ``/ready`` and backups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import SecretStr

from nba_mcp.config import Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def s3_client(settings: Settings, *, timeout: float, attempts: int = 1) -> S3Client:
    """A boto3 S3 client on the configured endpoint, each call cut at ``timeout`` seconds."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url or None,
        region_name=settings.s3_region,
        aws_access_key_id=_secret(settings.s3_access_key_id),
        aws_secret_access_key=_secret(settings.s3_secret_access_key),
        config=Config(
            connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": attempts}
        ),
    )


def _secret(value: SecretStr | None) -> str | None:
    return None if value is None else value.get_secret_value()
