#!/usr/bin/env bash
# Build a local stand-in for python:3.11-slim-bookworm where base images cannot be pulled:
# a minimal Debian bookworm (debootstrap) with Debian's Python 3.11, imported into podman
# as localhost/nba-mcp-base:bookworm. The mirror is the one this machine's apt uses.
#   scripts/build-local-base-image.sh [IMAGE]      (root; podman and debootstrap installed)
# Then: podman build --build-arg BASE_IMAGE=localhost/nba-mcp-base:bookworm -t nba-mcp-synthesis .
set -euo pipefail
image="${1:-localhost/nba-mcp-base:bookworm}"
if podman image exists "$image"; then
  echo "$image exists"
  exit 0
fi
mirror="$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list.d/*.sources \
  /etc/apt/sources.list 2>/dev/null | grep -oE 'https?://[^ ]+' | head -n 1 || true)"
if [ -z "$mirror" ]; then
  echo "no Debian mirror found in this machine's apt sources" >&2
  exit 1
fi
root="$(mktemp -d /var/tmp/nba-mcp-base.XXXXXX)"
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
  bookworm "$root" "$mirror" >/dev/null
# What a slim image leaves out: apt lists, caches, docs.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/usr/share/doc/* \
  "$root"/usr/share/man/* "$root"/usr/share/locale/*
tar -C "$root" -c . | podman import \
  --change 'CMD ["python3"]' --change 'ENV LANG=C.UTF-8' - "$image" >/dev/null
echo "$image built"
