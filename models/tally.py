"""Assets by status with their book value, kept current by the database for the home page.

``asset_tally`` is a ledger of deltas: triggers on ``asset`` append (status, ±count, ±value) for every
insert, delete and change of status or book value, whatever wrote it (forms, bulk edit, import, write-off
acts, raw SQL). Appends never wait on each other, unlike one hot row per status. The home page sums the
few rows per status; ``compact`` folds them into one row per status when they pile up.
On PostgreSQL the triggers are per statement (a 20 000-row insert appends one row per status);
SQLite has only per-row triggers.
"""
from decimal import Decimal

from sqlalchemy import DDL, Integer, String, event, func, select, text, type_coerce
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .types import Money


class AssetTally(Base):
    __tablename__ = "asset_tally"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(32))
    assets: Mapped[int] = mapped_column(Integer)
    book_value: Mapped[Decimal] = mapped_column(Money)


POSTGRES_TRIGGERS = (
    """CREATE OR REPLACE FUNCTION khz_asset_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO asset_tally (status, assets, book_value)
  SELECT status, count(*), coalesce(sum(book_value), 0) FROM khz_new GROUP BY status;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION khz_asset_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO asset_tally (status, assets, book_value)
  SELECT status, sum(n), coalesce(sum(v), 0) FROM (
    SELECT status, -1 AS n, -book_value AS v FROM khz_old
    UNION ALL SELECT status, 1, book_value FROM khz_new) AS delta
  GROUP BY status HAVING sum(n) <> 0 OR coalesce(sum(v), 0) <> 0;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION khz_asset_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO asset_tally (status, assets, book_value)
  SELECT status, -count(*), -coalesce(sum(book_value), 0) FROM khz_old GROUP BY status;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION khz_asset_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM asset_tally;
  RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS asset_tally_insert ON asset",
    "CREATE TRIGGER asset_tally_insert AFTER INSERT ON asset REFERENCING NEW TABLE AS khz_new "
    "FOR EACH STATEMENT EXECUTE FUNCTION khz_asset_tally_insert()",
    "DROP TRIGGER IF EXISTS asset_tally_update ON asset",
    "CREATE TRIGGER asset_tally_update AFTER UPDATE ON asset REFERENCING OLD TABLE AS khz_old NEW TABLE AS khz_new "
    "FOR EACH STATEMENT EXECUTE FUNCTION khz_asset_tally_update()",
    "DROP TRIGGER IF EXISTS asset_tally_delete ON asset",
    "CREATE TRIGGER asset_tally_delete AFTER DELETE ON asset REFERENCING OLD TABLE AS khz_old "
    "FOR EACH STATEMENT EXECUTE FUNCTION khz_asset_tally_delete()",
    "DROP TRIGGER IF EXISTS asset_tally_truncate ON asset",
    "CREATE TRIGGER asset_tally_truncate AFTER TRUNCATE ON asset "
    "FOR EACH STATEMENT EXECUTE FUNCTION khz_asset_tally_truncate()",
)

SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS asset_tally_insert AFTER INSERT ON asset BEGIN "
    "INSERT INTO asset_tally (status, assets, book_value) VALUES (NEW.status, 1, NEW.book_value); END",
    "CREATE TRIGGER IF NOT EXISTS asset_tally_update AFTER UPDATE OF status, book_value ON asset "
    "WHEN OLD.status IS NOT NEW.status OR OLD.book_value IS NOT NEW.book_value BEGIN "
    "INSERT INTO asset_tally (status, assets, book_value) VALUES (OLD.status, -1, -OLD.book_value); "
    "INSERT INTO asset_tally (status, assets, book_value) VALUES (NEW.status, 1, NEW.book_value); END",
    "CREATE TRIGGER IF NOT EXISTS asset_tally_delete AFTER DELETE ON asset BEGIN "
    "INSERT INTO asset_tally (status, assets, book_value) VALUES (OLD.status, -1, -OLD.book_value); END",
)

# The asset rows already there when the ledger starts (a migration of an existing database).
SEED_SQL = ("INSERT INTO asset_tally (status, assets, book_value) "
            "SELECT status, count(*), coalesce(sum(book_value), 0) FROM asset GROUP BY status")


def install_triggers(metadata):
    """create_all (tests, benches) builds the triggers the migration creates."""
    for statement in POSTGRES_TRIGGERS:
        event.listen(metadata, "after_create", DDL(statement).execute_if(dialect="postgresql"))
    for statement in SQLITE_TRIGGERS:
        event.listen(metadata, "after_create", DDL(statement).execute_if(dialect="sqlite"))


def totals_by_status(session) -> dict[str, tuple[int, Decimal]]:
    """{status value: (assets, book value)} from the ledger."""
    rows = session.execute(
        select(AssetTally.status, func.sum(AssetTally.assets), type_coerce(func.sum(AssetTally.book_value), Money()))
        .group_by(AssetTally.status)
    ).all()
    return {status: (int(n or 0), value or Decimal("0.00")) for status, n, value in rows}


def ledger_rows(session) -> int:
    return session.scalar(select(func.count()).select_from(AssetTally))


def compact(connection) -> None:
    """Fold the ledger into one row per status (in its own transaction: ``connection`` is begun by the caller)."""
    if connection.dialect.name == "postgresql":
        # Deletes exactly the rows it sums: appends committed meanwhile stay as they are.
        connection.execute(text(
            "WITH gone AS (DELETE FROM asset_tally RETURNING status, assets, book_value) "
            "INSERT INTO asset_tally (status, assets, book_value) "
            "SELECT status, sum(assets), sum(book_value) FROM gone GROUP BY status"))
        return
    # SQLite: one writer at a time, so a read, a delete and an insert in one transaction are atomic.
    rows = connection.execute(text(
        "SELECT status, sum(assets), sum(book_value), max(id) FROM asset_tally GROUP BY status")).all()
    if not rows:
        return
    last = max(r[3] for r in rows)
    connection.execute(text("DELETE FROM asset_tally WHERE id <= :last"), {"last": last})
    connection.execute(text("INSERT INTO asset_tally (status, assets, book_value) VALUES (:s, :n, :v)"),
                       [{"s": s, "n": n, "v": v} for s, n, v, _ in rows])
