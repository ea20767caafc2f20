"""Where backups live: a local directory or an S3 bucket, behind one small interface."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from nba_mcp.config import Settings
from nba_mcp.errors import DependencyUnavailable, InvalidInput, NotFound

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

StoreKind = Literal["local", "s3"]
S3_TIMEOUT_SECONDS = 60.0


class Store(Protocol):
    """Flat names (``ID.dump``, ``ID.manifest.json``) in one place."""

    description: str

    def put_file(self, name: str, source: Path) -> None: ...
    def get_file(self, name: str, target: Path) -> None: ...  # NotFound when absent
    def put_bytes(self, name: str, data: bytes) -> None: ...
    def get_bytes(self, name: str) -> bytes: ...  # NotFound when absent
    def names(self) -> list[str]: ...
    def delete(self, name: str) -> None: ...


class LocalStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.description = f"local directory {directory}"

    def _path(self, name: str) -> Path:
        path = self.directory / name
        if path.parent != self.directory:
            raise InvalidInput(f"Not a file name in the backup directory: {name!r}")
        return path

    def put_file(self, name: str, source: Path) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = self._path(name + ".partial")
        shutil.copyfile(source, partial)
        partial.replace(self._path(name))  # a reader never sees half a file

    def get_file(self, name: str, target: Path) -> None:
        path = self._path(name)
        if not path.is_file():
            raise NotFound(f"{name} is not in the {self.description}.")
        shutil.copyfile(path, target)

    def put_bytes(self, name: str, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = self._path(name + ".partial")
        partial.write_bytes(data)
        partial.replace(self._path(name))

    def get_bytes(self, name: str) -> bytes:
        path = self._path(name)
        if not path.is_file():
            raise NotFound(f"{name} is not in the {self.description}.")
        return path.read_bytes()

    def names(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.name for p in self.directory.iterdir() if p.is_file())

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


class S3Store:
    def __init__(self, client: S3Client, bucket: str, prefix: str) -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix
        self.description = f"bucket s3://{bucket}/{prefix}"

    def put_file(self, name: str, source: Path) -> None:
        with _s3_errors(self.description):
            self.client.upload_file(str(source), self.bucket, self.prefix + name)

    def get_file(self, name: str, target: Path) -> None:
        with _s3_errors(self.description, name):
            self.client.download_file(self.bucket, self.prefix + name, str(target))

    def put_bytes(self, name: str, data: bytes) -> None:
        with _s3_errors(self.description):
            self.client.put_object(Bucket=self.bucket, Key=self.prefix + name, Body=data)

    def get_bytes(self, name: str) -> bytes:
        with _s3_errors(self.description, name):
            answer = self.client.get_object(Bucket=self.bucket, Key=self.prefix + name)
            data: bytes = answer["Body"].read()
        return data

    def names(self) -> list[str]:
        found: list[str] = []
        with _s3_errors(self.description):
            pages = self.client.get_paginator("list_objects_v2")
            for page in pages.paginate(Bucket=self.bucket, Prefix=self.prefix):
                for item in page.get("Contents", []):
                    key = item.get("Key", "")
                    if "/" not in key[len(self.prefix) :]:
                        found.append(key[len(self.prefix) :])
        return sorted(found)

    def delete(self, name: str) -> None:
        with _s3_errors(self.description):
            self.client.delete_object(Bucket=self.bucket, Key=self.prefix + name)


def open_store(settings: Settings, kind: StoreKind | None = None) -> Store:
    """The store named by ``kind``; by default S3 when a bucket is set, else the directory."""
    if kind is None:
        kind = "s3" if settings.s3_bucket else "local"
    if kind == "local":
        return LocalStore(settings.resolved_backup_dir().resolve())
    if not settings.s3_bucket:
        raise InvalidInput("No bucket: set NBA_MCP_S3_BUCKET (or use --store local).")
    from nba_mcp.objectstore import s3_client

    client = s3_client(settings, timeout=S3_TIMEOUT_SECONDS, attempts=3)
    return S3Store(client, settings.s3_bucket, settings.backup_s3_prefix)


@contextmanager
def _s3_errors(description: str, name: str | None = None) -> Iterator[None]:
    """S3 failures as our errors: a missing object is NotFound, anything else a dependency."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if name is not None and code in {"404", "NoSuchKey", "NotFound"}:
            raise NotFound(f"{name} is not in the {description}.") from None
        raise DependencyUnavailable(f"The {description} refused: {code}") from None
    except BotoCoreError as exc:
        raise DependencyUnavailable(f"The {description} is unreachable: {exc}") from None
