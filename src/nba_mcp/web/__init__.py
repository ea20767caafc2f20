"""The HTTP surface: MCP over streamable HTTP at /mcp, and liveness at /health."""
