"""The first lock of ``run_sql``: a single SELECT over the NBA tables, built from known parts.

The checker allows what it knows and refuses everything else:

- **Text.** No NUL or other control characters except tab and newline, no lone
  surrogates, no invisible formatting or exotic whitespace: two tokenizers (ours and
  the database's) must read the same words. Carriage returns become newlines first, so
  ``SELECT 1 --\\rDELETE …`` is read as two statements, as PostgreSQL reads it.
- **Statement.** sqlglot parses the text in the engine's dialect; it must be exactly
  one ``SELECT`` (``WITH … SELECT``, ``UNION``/``INTERSECT``/``EXCEPT`` included). No
  ``WITH RECURSIVE``. Common table expressions only in the leading ``WITH``.
- **Nodes.** Every node of the tree must be of a kind on :data:`ALLOWED_NODES`
  (columns, literals, operators, joins, subqueries, ``CASE``, window specifications…);
  anything else (DML, DDL, ``SET``, ``COPY``, ``INTO``, ``FOR UPDATE``, parameters,
  arrays, JSON operators) is refused wherever it hides.
- **Functions.** Only arithmetic, string, date, aggregate, window and conditional
  functions on :data:`ALLOWED_FUNCTIONS` / :data:`ALLOWED_NAMES`; never a function
  that runs a query given as text, reads a setting, a file or the catalogs, sleeps,
  locks or builds a huge value (``repeat``, ``lpad``, ``printf``, ``zeroblob``).
- **Casts** to plain types only (numbers, text, dates and times, booleans).
- **Tables.** Only the NBA tables that ``describe_schema`` lists (:data:`NBA_TABLES`),
  in any case, optionally qualified by ``public`` (PostgreSQL) or ``main`` (SQLite), or
  a CTE of the leading ``WITH`` defined before the reference.

The caller runs sqlglot's rendering of the checked tree without comments, so what runs
is exactly what was checked. The database session and the login (see
:mod:`nba_mcp.queries.sql`) are the second and third locks, each holding on its own.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Final

import sqlglot
from sqlglot import exp

from nba_mcp.db.models import NBA_TABLES
from nba_mcp.errors import InvalidInput

MAX_QUERY_CHARS: Final = 20_000
#: Deepest nesting of the tree (subqueries inside expressions inside subqueries …).
MAX_DEPTH: Final = 64


def _types(*names: str) -> tuple[type[exp.Expr], ...]:
    # getattr: sqlglot adds and renames node classes between versions.
    found = (getattr(exp, name, None) for name in names)
    return tuple(t for t in found if isinstance(t, type))


#: Aggregate, window, arithmetic, string, date and conditional functions (sqlglot's
#: typed nodes; the dialect renders each under its own name).
ALLOWED_FUNCTIONS: Final = _types(
    # aggregates
    "Count", "Sum", "Avg", "Min", "Max", "Stddev", "StddevPop", "StddevSamp", "Variance",
    "VariancePop", "Corr", "CovarPop", "CovarSamp", "Median", "PercentileCont",
    "PercentileDisc", "GroupConcat", "LogicalAnd", "LogicalOr", "CountIf", "ApproxDistinct",
    # window functions
    "RowNumber", "Rank", "DenseRank", "PercentRank", "CumeDist", "Ntile", "Lag", "Lead",
    "FirstValue", "LastValue", "NthValue",
    # arithmetic
    "Abs", "Ceil", "Floor", "Round", "Trunc", "Sqrt", "Cbrt", "Pow", "Exp", "Ln", "Log",
    "Log2", "Log10", "Sign", "Pi", "Degrees", "Radians", "Greatest", "Least", "Mod",
    "SafeDivide", "WidthBucket",
    # strings
    "Lower", "Upper", "Length", "Trim", "Replace", "Concat", "ConcatWs", "Substring",
    "SplitPart", "StrPosition", "Left", "Right", "Initcap", "Reverse", "Chr", "Ascii",
    "Unicode", "RegexpLike", "RegexpReplace", "RegexpILike", "Hex", "MD5",
    # dates and times
    "Extract", "TimestampTrunc", "DateTrunc", "TimeToStr", "StrToDate", "StrToTime", "Date",
    "CurrentDate", "CurrentTimestamp", "TsOrDsToTimestamp", "TsOrDsToDate", "DateDiff",
    "UnixToTime", "TimeToUnix",
    # conditionals and casts
    "Coalesce", "Nullif", "If", "Case", "Cast", "TryCast", "Typeof",
)  # fmt: skip

#: Functions sqlglot does not type (``Anonymous``), by lower-case name.
ALLOWED_NAMES: Final = frozenset(
    {
        # aggregates and statistics
        "total", "stddev_pop", "stddev_samp", "var_pop", "var_samp", "covar_pop", "covar_samp",
        "regr_slope", "regr_intercept", "regr_r2", "regr_count", "regr_avgx", "regr_avgy",
        "percentile_disc", "bool_or", "bool_and", "every", "string_agg", "mode",
        # arithmetic
        "mod", "div", "cbrt", "log10", "log2", "radians", "trunc", "ceiling", "power",
        # strings
        "substr", "instr", "strpos", "ltrim", "rtrim", "btrim", "octet_length", "char_length",
        "character_length", "initcap", "translate", "ifnull", "iif", "nullif",
        # dates
        "age", "make_date", "make_time", "date_part", "julianday", "datetime", "time",
        "unixepoch", "to_date", "to_timestamp", "to_char", "strftime", "justify_days",
    }
)  # fmt: skip

#: Kinds of node a query may be built of besides functions and tables.
ALLOWED_NODES: Final = _types(
    # statement shapes
    "Select", "Union", "Intersect", "Except", "Subquery", "With", "CTE", "TableAlias",
    "From", "Join", "Where", "Group", "Having", "Order", "Ordered", "Limit", "Offset",
    "Fetch", "Distinct", "Qualify", "Values", "Tuple", "Lateral", "Window",
    "WindowSpec", "PartitionedByProperty", "Filter", "WithinGroup", "IgnoreNulls",
    "RespectNulls", "Rollup", "Cube", "GroupingSets",
    # names and values
    "Column", "Identifier", "Star", "Alias", "Aliases", "Literal", "Boolean", "Null",
    "DataType", "DataTypeParam", "Var", "Paren", "Interval", "IntervalSpan",
    "CurrentRow", "Dot",
    # operators
    "Add", "Sub", "Mul", "Div", "IntDiv", "Mod", "Neg", "Not", "And", "Or", "Xor", "EQ",
    "NEQ", "GT", "GTE", "LT", "LTE", "Is", "In", "Between", "Like", "ILike", "Glob",
    "NullSafeEQ", "NullSafeNEQ", "DPipe", "BitwiseAnd", "BitwiseOr", "BitwiseXor",
    "BitwiseNot", "BitwiseLeftShift", "BitwiseRightShift", "Exists", "Any", "All",
    "Escape", "SimilarTo", "When", "Collate", "Bracket",
)  # fmt: skip

#: Types a value may be cast to.
ALLOWED_CASTS: Final = frozenset(
    getattr(exp.DataType.Type, name)
    for name in (
        "TINYINT", "SMALLINT", "INT", "BIGINT", "DECIMAL", "FLOAT", "DOUBLE", "TEXT",
        "VARCHAR", "CHAR", "NCHAR", "NVARCHAR", "BOOLEAN", "DATE", "TIME", "TIMETZ",
        "TIMESTAMP", "TIMESTAMPTZ", "INTERVAL", "NUMERIC", "REAL", "INTEGER",
    )
    if hasattr(exp.DataType.Type, name)
)  # fmt: skip

#: Schemas a table may be qualified with, per sqlglot dialect.
TABLE_SCHEMAS: Final = {"postgres": frozenset({"public"}), "sqlite": frozenset({"main"})}

_PARSE_ERROR_COLOURS = re.compile(r"\x1b\[[0-9;]*m")
# sqlglot warns, with the user's text, when it falls back to a raw command; the checker
# refuses those anyway, and user input has no place in the server's log.
logging.getLogger("sqlglot").setLevel(logging.ERROR)


def check_text(query: str) -> str:
    """``query`` with line ends made ``\\n``, or ``InvalidInput`` for characters that two
    tokenizers could read differently (controls, surrogates, invisible format marks)."""
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInput(
            f"The query is too long: {len(query)} characters; at most {MAX_QUERY_CHARS}."
        )
    query = query.replace("\r\n", "\n").replace("\r", "\n")
    for position, char in enumerate(query):
        if char in "\n\t" or " " <= char <= "~":
            continue
        category = unicodedata.category(char)
        if category[0] == "C" or category in ("Zl", "Zp", "Zs"):
            name = "a lone surrogate" if category == "Cs" else unicodedata.name(char, "unnamed")
            raise InvalidInput(
                f"The query contains the character U+{ord(char):04X} ({name.lower()}) at "
                f"position {position + 1}; write the query in plain text, with spaces, tabs "
                "and newlines between words."
            )
    return query


def check_select(query: str, *, dialect: str) -> str:
    """The SQL to run for ``query`` if it is a single allowed SELECT, else ``InvalidInput``.

    ``dialect`` is sqlglot's name: ``"sqlite"`` or ``"postgres"``. The result is
    sqlglot's rendering of the checked tree, without comments.
    """
    tree = _parse_one(check_text(query), dialect)
    try:
        _check_tree(tree, dialect=dialect, ctes=_leading_ctes(tree))
    except InvalidInput:
        raise
    except Exception as exc:  # a tree the checker cannot walk is refused, never run
        raise InvalidInput(f"The query cannot be checked: {type(exc).__name__}: {exc}") from None
    try:
        return tree.sql(dialect=dialect, comments=False)
    except Exception as exc:  # a tree sqlglot cannot render is not run
        raise InvalidInput(f"The query cannot be checked: {type(exc).__name__}: {exc}") from None


def _parse_one(query: str, dialect: str) -> exp.Expr:
    try:
        parsed = sqlglot.parse(query, read=dialect)
    except sqlglot.errors.SqlglotError as exc:
        raise InvalidInput(f"The query does not parse: {_parse_message(exc)}.") from None
    except RecursionError:
        raise InvalidInput("The query is nested too deeply.") from None
    except Exception as exc:  # whatever the parser trips on, it did not accept
        raise InvalidInput(f"The query does not parse: {type(exc).__name__}: {exc}") from None
    # sqlglot keeps a comment after the last semicolon as an empty Semicolon statement.
    statements = [s for s in parsed if s is not None and not isinstance(s, exp.Semicolon)]
    if not statements:
        raise InvalidInput("The query is empty: write one SELECT statement.")
    if len(statements) > 1:
        found = ", ".join(_statement_name(s) for s in statements)
        raise InvalidInput(
            f"Multiple statements are not allowed: found {found}; write one SELECT statement."
        )
    (tree,) = statements
    if not isinstance(tree, _types("Select", "SetOperation", "Subquery")):
        raise InvalidInput(f"Only a single SELECT is allowed; found {_statement_name(tree)}.")
    return tree


def _leading_ctes(tree: exp.Expr) -> list[exp.CTE]:
    """The CTEs of the statement's leading ``WITH``; any other ``WITH`` is refused."""
    leading = tree.args.get("with") or tree.args.get("with_")
    for node in tree.find_all(exp.With):
        if node is not leading:
            raise InvalidInput("Write common table expressions (WITH) at the start of the query.")
        if node.args.get("recursive"):
            raise InvalidInput("WITH RECURSIVE is not allowed in run_sql.")
    return list(leading.expressions) if leading is not None else []


def _check_tree(tree: exp.Expr, *, dialect: str, ctes: list[exp.CTE]) -> None:
    # A CTE may read the CTEs defined before it; the main query may read them all.
    visible: dict[int, frozenset[str]] = {}
    for index, cte in enumerate(ctes):
        earlier = frozenset(c.alias_or_name.lower() for c in ctes[:index])
        for node in cte.this.walk():
            visible.setdefault(id(node), earlier)
    every = frozenset(c.alias_or_name.lower() for c in ctes)
    stack: list[tuple[exp.Expr, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidInput(f"The query is nested too deeply (more than {MAX_DEPTH} levels).")
        _check_node(node, dialect=dialect, ctes=visible.get(id(node), every))
        stack.extend((child, depth + 1) for child in node.iter_expressions())


def _check_node(node: exp.Expr, *, dialect: str, ctes: frozenset[str]) -> None:
    if isinstance(node, exp.Table):
        _check_table(node, dialect=dialect, ctes=ctes)
    elif isinstance(node, exp.Func) and not isinstance(node, ALLOWED_NODES):
        _check_function(node)
    elif isinstance(node, exp.DataType):
        if node.this not in ALLOWED_CASTS:
            raise InvalidInput(
                f"Casting to {node.sql(dialect=dialect)} is not allowed; cast to a number, "
                "text, a date or time, or a boolean."
            )
    elif isinstance(node, exp.Dot) and isinstance(node.expression, exp.Func):
        raise InvalidInput("Call functions by their plain name, without a schema.")
    elif isinstance(node, _types("Placeholder", "Parameter", "SessionParameter")):
        raise InvalidInput(
            f"Bind parameters are not supported ({node.sql(dialect=dialect)}): "
            "write the values into the query."
        )
    elif not isinstance(node, ALLOWED_NODES):
        raise InvalidInput(
            f"Only a single SELECT is allowed; found {_statement_name(node)} inside the query."
        )


def _check_function(node: exp.Func) -> None:
    if isinstance(node, exp.Anonymous | exp.AnonymousAggFunc):
        name = str(node.name).lower()
        if name in ALLOWED_NAMES:
            return
    elif isinstance(node, ALLOWED_FUNCTIONS):
        return
    else:
        name = type(node).sql_names()[0].lower() if type(node).sql_names() else "?"
    raise InvalidInput(
        f"Function {name} is not allowed: run_sql allows arithmetic, string, date, "
        "aggregate, window and conditional functions over the NBA tables."
    )


def _check_table(node: exp.Table, *, dialect: str, ctes: frozenset[str]) -> None:
    if not isinstance(node.this, exp.Identifier):
        found = (node.this if node.this is not None else node).sql(dialect=dialect)
        raise InvalidInput(f"Only tables may follow FROM or JOIN; found {found}.")
    name = str(node.name).lower()
    schema = str(node.args["db"].name).lower() if node.args.get("db") is not None else None
    if node.args.get("catalog") is not None or (
        schema is not None and schema not in TABLE_SCHEMAS.get(dialect, frozenset())
    ):
        raise InvalidInput(
            f"Table {node.sql(dialect=dialect)} is not readable: run_sql reads the NBA tables "
            f"({', '.join(sorted(NBA_TABLES))})."
        )
    if schema is None and name in ctes:
        return
    if name not in NBA_TABLES:
        raise InvalidInput(
            f"Table {name} is not readable: run_sql reads the NBA tables "
            f"({', '.join(sorted(NBA_TABLES))}); describe_schema lists their columns."
        )


def _statement_name(node: exp.Expr) -> str:
    if isinstance(node, exp.Lock):
        return "FOR UPDATE/FOR SHARE"
    if isinstance(node, exp.Into):
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
    return _PARSE_ERROR_COLOURS.sub("", str(exc))
