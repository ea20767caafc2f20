"""The HTTP surface: one ASGI app (``app.build_app``) serving MCP at /mcp, the REST mirror
of the tools at /v1, /openapi.json, /health, /ready and /metrics. See docs/http.md."""
