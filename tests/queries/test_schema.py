from __future__ import annotations

from sqlalchemy import Engine

from nba_mcp.db.models import PRIVATE_TABLES, Base
from nba_mcp.queries.schema import SchemaDescription, describe_schema, schema_markdown


def _column(schema: SchemaDescription, table: str, column: str) -> dict[str, object]:
    (info,) = [t for t in schema.tables if t.name == table]
    (col,) = [c for c in info.columns if c.name == column]
    return col.model_dump()


def test_every_table_and_column_of_the_metadata_is_described() -> None:
    schema = describe_schema()

    described = {t.name: [c.name for c in t.columns] for t in schema.tables}
    assert described == {
        name: [c.name for c in table.columns]
        for name, table in Base.metadata.tables.items()
        if name not in PRIVATE_TABLES  # the service's own tables are not NBA data
    }
    for table in schema.tables:
        assert table.description, table.name
        for column in table.columns:
            assert column.description.strip(), f"{table.name}.{column.name}"


def test_tables_come_in_reading_order() -> None:
    names = [t.name for t in describe_schema().tables]

    assert names[:9] == [
        "seasons",
        "teams",
        "players",
        "games",
        "team_box_scores",
        "player_box_scores",
        "player_season_advanced",
        "team_season_advanced",
        "data_version",
    ]


def test_units_and_formats_are_described_exactly() -> None:
    schema = describe_schema()

    assert _column(schema, "player_box_scores", "seconds") == {
        "name": "seconds",
        "type": "INTEGER",
        "nullable": False,
        "primary_key": False,
        "foreign_key": None,
        "description": "Seconds played; divide by 60 for minutes.",
    }
    assert _column(schema, "team_box_scores", "minutes")["description"] == (
        "Team minutes: 240 + 25 per OT."
    )
    assert _column(schema, "games", "season_type")["description"] == (
        "'regular', 'playoffs' or 'play_in'."
    )
    assert _column(schema, "players", "person_id")["description"] == "NBA.com id."
    assert _column(schema, "games", "game_id")["primary_key"] is True


def test_keys_point_at_their_tables() -> None:
    schema = describe_schema()

    assert _column(schema, "games", "season")["foreign_key"] == "seasons.season"
    assert _column(schema, "player_box_scores", "game_id") == {
        "name": "game_id",
        "type": "VARCHAR(10)",
        "nullable": False,
        "primary_key": True,
        "foreign_key": "games.game_id",
        "description": "The game.",
    }


def test_table_description_comes_from_the_model_docstring() -> None:
    (team_boxes,) = [t for t in describe_schema().tables if t.name == "team_box_scores"]

    assert team_boxes.description.startswith(
        "A team's totals in one game: NBA.com's official totals where loaded."
    )
    assert "`tov` may exceed the sum of the players' turnovers" in team_boxes.description


def test_conventions_state_formats_and_units() -> None:
    text = " ".join(describe_schema().conventions)

    for needle in ("'2015-16'", "'0021500003'", "'play_in'", "seconds", "240", "official"):
        assert needle in text


def test_connected_description_counts_rows_in_the_dialect(loaded_engine: Engine) -> None:
    with loaded_engine.connect() as conn:
        schema = describe_schema(conn)

    counts = {t.name: t.row_count for t in schema.tables}
    assert schema.dialect == loaded_engine.dialect.name
    assert counts["teams"] == 30
    assert counts["data_version"] == 1
    assert counts["seasons"] == 3
    updated_at = _column(schema, "data_version", "updated_at")["type"]
    expected = "TIMESTAMP WITH TIME ZONE" if schema.dialect == "postgresql" else "DATETIME"
    assert updated_at == expected


def test_unconnected_description_has_no_row_counts() -> None:
    schema = describe_schema()

    assert schema.dialect == "generic"
    assert {t.row_count for t in schema.tables} == {None}


def test_markdown_mentions_every_table_and_column() -> None:
    markdown = schema_markdown()

    assert markdown.startswith("# NBA database schema\n")
    for name, table in Base.metadata.tables.items():
        if name in PRIVATE_TABLES:
            assert name not in markdown
            continue
        assert f"\n## {name}\n" in markdown
        for column in table.columns:
            assert f"\n| {column.name} | " in markdown
    assert "| seconds | INTEGER | no |  | Seconds played; divide by 60 for minutes. |" in markdown
    assert "| game_id | VARCHAR(10) | no | PK FK games.game_id | The game. |" in markdown


def test_markdown_shows_row_counts_when_connected(loaded_engine: Engine) -> None:
    with loaded_engine.connect() as conn:
        markdown = schema_markdown(conn)

    assert "\n## teams (30 rows)\n" in markdown
    assert "\n## data_version (1 row)\n" in markdown
    assert f"Dialect: {loaded_engine.dialect.name}." in markdown
