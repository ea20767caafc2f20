"""The first lock of ``run_sql``: only a single read-only SELECT gets through.

sqlglot parses the text in the engine's dialect. It must be exactly one
``SELECT`` (``WITH … SELECT``, ``UNION``/``INTERSECT``/``EXCEPT`` of selects and
parenthesised selects included). The whole tree is walked and any
statement-like node is refused wherever it hides (DML and DDL, ``COPY``,
``PRAGMA``, ``ATTACH``, ``SET``, transaction control, ``SELECT … INTO``,
``FOR UPDATE``/``FOR SHARE``, data-modifying CTEs, bind parameters), and so are
functions that reach outside the data (``pg_sleep``, ``pg_read_file``,
``lo_import``, ``dblink``, ``set_config``, ``load_extension``, … and every
``pg_*`` function that is not on a short allow-list). The caller runs sqlglot's
rendering of the checked tree without comments, so what runs is exactly what
was checked.
"""

from __future__ import annotations

import re
from typing import Final

import sqlglot

from nba_mcp.errors import InvalidInput

MAX_QUERY_CHARS: Final = 20_000


def _expression_types(*names: str) -> tuple[type[sqlglot.exp.Expr], ...]:
    # getattr: sqlglot adds and renames node classes between versions.
    found = (getattr(sqlglot.exp, name, None) for name in names)
    return tuple(t for t in found if isinstance(t, type))


_ROOTS = _expression_types("Select", "SetOperation", "Subquery")
_FORBIDDEN_NODES = _expression_types(
    "DML", "DDL", "Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter",
    "AlterSession", "TruncateTable", "Copy", "Command", "Pragma", "Attach", "Detach",
    "Set", "SetItem", "Transaction", "Commit", "Rollback", "Into", "Lock", "Returning",
    "OnConflict", "Grant", "Revoke", "Analyze", "Use", "Describe", "Show", "LoadData",
    "Cache", "Uncache", "Refresh", "Kill", "Execute", "ExecuteSql", "Declare",
    "Install", "Export", "Put", "Get", "Comment", "StoredProcedure", "Block",
    "IfBlock", "WhileBlock", "LoopBlock", "SwapTable", "Undrop", "Summarize",
    "LockingStatement", "MultitableInserts", "Semicolon",
)  # fmt: skip
_PARAMETERS = _expression_types("Placeholder", "Parameter")

_FORBIDDEN_FUNCTIONS: Final = frozenset(
    {
        # PostgreSQL: settings, files, large objects, sequences, queries in strings.
        "set_config", "current_setting", "copy", "loread", "lowrite",
        "nextval", "setval", "query_to_xml", "query_to_xmlschema",
        "query_to_xml_and_xmlschema", "cursor_to_xml", "cursor_to_xmlschema",
        "brin_summarize_new_values", "brin_summarize_range", "brin_desummarize_range",
        "gin_clean_pending_list", "txid_current", "txid_current_if_assigned",
        # SQLite: extensions and the shell's file functions.
        "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer",
    }
)  # fmt: skip
_FORBIDDEN_PREFIXES: Final = ("pg_", "lo_", "dblink", "binary_upgrade_")
#: ``pg_*`` functions that only describe values.
_ALLOWED_PG_FUNCTIONS: Final = frozenset({"pg_typeof", "pg_column_size", "pg_size_pretty"})


def forbidden_function(name: str) -> bool:
    """Whether a query may not call the function ``name`` (any case, unqualified)."""
    name = name.lower().rsplit(".", 1)[-1].strip('"')
    if name in _FORBIDDEN_FUNCTIONS:
        return True
    return name.startswith(_FORBIDDEN_PREFIXES) and name not in _ALLOWED_PG_FUNCTIONS


def _function_names(node: sqlglot.exp.Func) -> list[str]:
    if isinstance(node, sqlglot.exp.Anonymous | sqlglot.exp.AnonymousAggFunc):
        return [node.name]
    return list(type(node).sql_names())


def _statement_name(node: sqlglot.exp.Expr) -> str:
    if isinstance(node, sqlglot.exp.Lock):
        return "FOR UPDATE/FOR SHARE"
    if isinstance(node, sqlglot.exp.Into):
        return "SELECT … INTO"
    try:
        bare = node.copy()
        for key in ("with", "with_"):  # a leading WITH is not what the statement does
            if bare.args.get(key) is not None:
                bare.set(key, None)
        words = bare.sql(comments=False).split()
    except Exception:  # a name for the message only
        words = []
    return words[0].upper() if words else type(node).__name__.upper()


def _parse_message(exc: sqlglot.errors.SqlglotError) -> str:
    errors = getattr(exc, "errors", None)
    if errors:
        first = errors[0]
        return f"{first.get('description')} (line {first.get('line')}, column {first.get('col')})"
    return re.sub(r"\x1b\[[0-9;]*m", "", str(exc))


def check_select(query: str, *, dialect: str) -> str:
    """The SQL to run for ``query`` if it is a single read-only SELECT, else ``InvalidInput``.

    ``dialect`` is sqlglot's name: ``"sqlite"`` or ``"postgres"``. The result is
    sqlglot's rendering of the checked tree, without comments.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInput(
            f"The query is too long: {len(query)} characters; at most {MAX_QUERY_CHARS}."
        )
    try:
        parsed = sqlglot.parse(query, read=dialect)
    except sqlglot.errors.SqlglotError as exc:
        raise InvalidInput(f"The query does not parse: {_parse_message(exc)}.") from None
    except Exception as exc:  # whatever the parser trips on, it did not accept
        raise InvalidInput(f"The query does not parse: {type(exc).__name__}: {exc}") from None
    # sqlglot keeps a comment after the last semicolon as an empty Semicolon statement.
    statements = [s for s in parsed if s is not None and not isinstance(s, sqlglot.exp.Semicolon)]
    if not statements:
        raise InvalidInput("The query is empty: write one SELECT statement.")
    if len(statements) > 1:
        found = ", ".join(_statement_name(s) for s in statements)
        raise InvalidInput(
            f"Multiple statements are not allowed: found {found}; write one SELECT statement."
        )
    (tree,) = statements
    if not isinstance(tree, _ROOTS):
        raise InvalidInput(f"Only a single SELECT is allowed; found {_statement_name(tree)}.")
    for node in tree.walk():
        if isinstance(node, _FORBIDDEN_NODES):
            raise InvalidInput(
                f"Only a single SELECT is allowed; found {_statement_name(node)} inside the query."
            )
        if isinstance(node, _PARAMETERS):
            raise InvalidInput(
                f"Bind parameters are not supported ({node.sql(dialect=dialect)}): "
                "write the values into the query."
            )
        if isinstance(node, sqlglot.exp.Func):
            for name in _function_names(node):
                if forbidden_function(name):
                    raise InvalidInput(
                        f"Function {name.lower()} is not allowed: run_sql only reads the NBA data."
                    )
    try:
        return tree.sql(dialect=dialect, comments=False)
    except Exception as exc:  # a tree sqlglot cannot render is not run
        raise InvalidInput(f"The query cannot be checked: {type(exc).__name__}: {exc}") from None
