"""Backups of the whole database, and putting one back.

SQLite: the online backup API copies a consistent snapshot while the application keeps running (a plain
file copy can catch a write half done). PostgreSQL: ``pg_dump`` in its custom format, put back by
``pg_restore --clean`` into the configured database. The engine's URL says which.
"""
import os
import sqlite3
import subprocess

from sqlalchemy.engine import URL


def _sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise ValueError("an in-memory SQLite database has nothing to back up")
    return url.database


def _libpq(url: URL) -> tuple[list[str], dict]:
    """Connection arguments for pg_dump / pg_restore, the password in the environment, not on the command line."""
    args = ["--dbname", url.database or "postgres"]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return args, env


def backup(url: URL, target: str) -> None:
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return
    args, env = _libpq(url)
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", target, *args], check=True, env=env)


def restore(url: URL, source: str) -> None:
    if url.get_backend_name() == "sqlite":
        backup_db = sqlite3.connect(source)
        live = sqlite3.connect(_sqlite_path(url))
        try:
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
        return
    args, env = _libpq(url)
    subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, source],
                   check=True, env=env)
