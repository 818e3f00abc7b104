"""Search keys: one folding of text (case and ё/е) used by list search, pickers and filters on both databases.

``fold`` is the Python rule; SQL calls it as ``khz_fold(text)``: on SQLite a Python function registered on
every connection, on PostgreSQL an IMMUTABLE SQL function (``translate`` over ``lower``), so trigram GIN
indexes can be built on ``khz_fold(column)`` and a search for «стул» or «ЁЛКА» uses them.
PostgreSQL's ``lower`` follows the database's ctype and may leave Cyrillic alone; ``translate`` does not.
"""
from sqlalchemy import DDL, event, func
from sqlalchemy.engine import Engine

UPPER = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯё"
LOWER = "абвгдеежзийклмнопрстуфхцчшщъыьэюяе"

FOLD_FUNCTION_SQL = (
    "CREATE OR REPLACE FUNCTION khz_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    f"AS $$ SELECT translate(lower(value), '{UPPER}', '{LOWER}') $$"
)

# (table, column) searched by fragment on big tables: a trigram GIN index over the folded text.
TRIGRAM_COLUMNS = (
    ("asset", "inventory_number"),
    ("asset", "name"),
    ("asset", "serial_number"),
    ("employee", "full_name"),
    ("supplier", "short_name"),
    ("supplier", "full_name"),
    ("contract", "subject"),
)


def trigram_index_name(table: str, column: str) -> str:
    return f"ix_{table}_{column}_trgm"


def trigram_index_sql(table: str, column: str) -> str:
    return (f"CREATE INDEX IF NOT EXISTS {trigram_index_name(table, column)} ON {table} "
            f"USING gin (khz_fold({column}) gin_trgm_ops)")


def fold(value):
    """Text as search compares it: lower case, ё as е. None stays None."""
    if value is None:
        return None
    return str(value).lower().replace("ё", "е")


def folded(expression):
    """``khz_fold(expression)`` in SQL."""
    return func.khz_fold(expression)


def like_pattern(term: str) -> str:
    """A folded ``%term%`` with LIKE's wildcards in the term taken literally (escape character ``\\``)."""
    term = fold(term).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{term}%"


TRIGRAM = 3  # pg_trgm finds nothing shorter in an index


def contains(expression, term: str):
    """``expression`` contains ``term``, ignoring case and ё/е (by the trigram index on PostgreSQL).

    A term shorter than a trigram gives the index nothing to look up: it would read all of it. Such a term
    is tested on the rows the longer words found (``expression || ''`` is not the indexed expression)."""
    if len(term) < TRIGRAM:
        expression = expression.concat("")
    return folded(expression).like(like_pattern(term), escape="\\")


@event.listens_for(Engine, "connect")
def _sqlite_fold_function(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.create_function("khz_fold", 1, fold, deterministic=True)


def install_postgres_search(metadata):
    """When create_all builds the schema (tests, benches), PostgreSQL gets what the migration creates."""
    event.listen(metadata, "before_create", DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(
        dialect="postgresql"))
    event.listen(metadata, "before_create", DDL(FOLD_FUNCTION_SQL).execute_if(dialect="postgresql"))
    for table, column in TRIGRAM_COLUMNS:
        event.listen(metadata, "after_create", DDL(trigram_index_sql(table, column)).execute_if(
            dialect="postgresql"))
