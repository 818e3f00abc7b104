"""Declarative base, the Flask-SQLAlchemy handle and the columns every mutable record has."""
from datetime import datetime, UTC

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Integer, MetaData, event, insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Tracked:
    """created_at / updated_at and a version counter for optimistic locking."""

    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.version}


def insert_rows(connection, table, rows: list[dict]) -> None:
    """One executemany of ``rows`` (all with the same keys), each value through its column type's bind
    processor once: SQLAlchemy's generic executemany builds every row's parameters anew (most of the
    time of a 50 000-row write: a fuel statement and its change log)."""
    if not rows:
        return
    dialect = connection.dialect
    keys = [c.key for c in table.columns if c.key in rows[0]]
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    processors = []
    for key in keys:
        kind = table.c[key].type
        processor = kind.bind_processor(dialect) if isinstance(kind, TypeDecorator) else \
            kind.dialect_impl(dialect).bind_processor(dialect)
        processors.append((key, processor))
    values = [[row[k] if p is None or row[k] is None else p(row[k]) for k, p in processors] for row in rows]
    if compiled.positional:
        order = [keys.index(name) for name in compiled.positiontup]
        parameters = [tuple(v[i] for i in order) for v in values]
    else:
        parameters = [dict(zip(keys, v)) for v in values]
    connection.exec_driver_sql(compiled.string, parameters)


@event.listens_for(Engine, "connect")
def _sqlite_enforces_foreign_keys(dbapi_connection, connection_record):
    # SQLite ignores foreign keys unless asked per connection; we rely on them refusing orphans.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
