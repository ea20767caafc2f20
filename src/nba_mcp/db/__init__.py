"""Storage: the schema, engines and migrations."""
