"""The domain API: typed functions that read the database (and call analytics).

Every surface (CLI, MCP tools, REST, synthesis) calls these functions and
nothing else to read NBA data, so each answer is computed one way only.
Functions take keyword-only arguments, the first of which is an open
SQLAlchemy ``Connection``.
"""
