"""Storage: the schema, engines, migrations, the data version and what is loaded."""
