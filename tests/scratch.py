"""Scratch databases for tests and benches: an empty database of one's own, and a function that drops it.

``scratch_database(tag)`` gives PostgreSQL when DATABASE_URL names a PostgreSQL server (a new database
``khozchast_<tag>_<hex>`` next to the named one), else a SQLite file in a new temp folder.
"""
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import database_url

Scratch = tuple[str, Callable[[], None]]  # (SQLAlchemy URL, drop)


def sqlite_scratch_database(tag: str) -> Scratch:
    """A SQLite file in a new temp folder; drop removes the folder."""
    folder = tempfile.mkdtemp(prefix=f"khozchast-{tag}-")
    return f"sqlite:///{folder}/{tag}.db", lambda: shutil.rmtree(folder, ignore_errors=True)


def postgres_scratch_database(url: str, tag: str) -> Scratch:
    """A new database next to the one ``url`` (a DATABASE_URL) names; drop removes it, connections or not."""
    base = make_url(database_url(url, "."))
    name = f"khozchast_{tag}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


def scratch_database(tag: str) -> Scratch:
    """PostgreSQL when DATABASE_URL starts with "postgres", else SQLite; ``tag`` goes into the name."""
    url = os.environ.get("DATABASE_URL") or ""
    if url.startswith("postgres"):
        return postgres_scratch_database(url, tag)
    return sqlite_scratch_database(tag)
