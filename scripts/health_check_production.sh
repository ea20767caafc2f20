#!/usr/bin/env bash
# The operations guide's production health check: `nba-mcp ops health --url URL` asks a
# running deployment's /health, /ready and /metrics (plus kubectl checks when available).
# Exit 0 healthy, 1 degraded, 2 down.
# Usage: scripts/health_check_production.sh URL [--json]   (or NBA_MCP_HEALTH_URL=URL)
set -euo pipefail
source "$(dirname "$0")/_nba_mcp.sh"
url="${1:-${NBA_MCP_HEALTH_URL:-}}"
if [ -z "$url" ]; then
  echo "usage: $0 URL [--json]   (or set NBA_MCP_HEALTH_URL)" >&2
  exit 1
fi
[ $# -gt 0 ] && shift
exec "$NBA_MCP" ops health --url "$url" "$@"
