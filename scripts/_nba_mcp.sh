# Sourced by the scripts: sets NBA_MCP to the nba-mcp command to run (the NBA_MCP
# environment variable, else nba-mcp on the PATH, else this checkout's .venv).
if [ -z "${NBA_MCP:-}" ]; then
  if command -v nba-mcp >/dev/null 2>&1; then
    NBA_MCP=nba-mcp
  else
    NBA_MCP="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.venv/bin/nba-mcp"
  fi
fi
if ! command -v "$NBA_MCP" >/dev/null 2>&1; then
  echo "error: nba-mcp not found (install the package, run 'make install', or set NBA_MCP)" >&2
  exit 1
fi
