#!/usr/bin/env bash
# The operations guide's daily health check: `nba-mcp ops health` from this machine's
# settings (database, Redis, object store, data freshness, last backup, disk; pods, HPA
# and events when kubectl is on the PATH). Exit 0 healthy, 1 degraded, 2 down.
# Usage: scripts/daily_health_check.sh [--json]
set -euo pipefail
source "$(dirname "$0")/_nba_mcp.sh"
exec "$NBA_MCP" ops health "$@"
