"""Benchmark: bulk edit of 1,000 / 10,000 / 100,000 assets, preview and apply timed separately.

    python bench/bulk.py                      # SQLite (a scratch file)
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python bench/bulk.py   # PostgreSQL too

On PostgreSQL it creates and drops a scratch database of its own next to the one DATABASE_URL names.
Last line: ``RESULT db=… preview_10k_s=… apply_10k_s=… changelog_rows_10k=…`` (per database).
"""
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402

from app import create_app  # noqa: E402
from models import Asset, AssetCategory, AssetStatus, Base, ChangeLogEntry, Employee, db  # noqa: E402
from models.changelog import begin_batch  # noqa: E402
from services import bulk_edit  # noqa: E402
from tests.scratch import postgres_scratch_database, sqlite_scratch_database  # noqa: E402

SIZES = (1_000, 10_000, 100_000)


def scratch_databases():
    """SQLite always, then PostgreSQL too when DATABASE_URL names it: (kind, url, drop)."""
    yield "sqlite", *sqlite_scratch_database("bench")
    url = os.environ.get("DATABASE_URL") or ""
    if url.startswith("postgres"):
        yield "postgresql", *postgres_scratch_database(url, "bench")


def fill(session, n, category_id, employee_id):
    session.execute(text("DELETE FROM change_log"))
    session.execute(text("DELETE FROM asset"))
    rows = [{"inventory_number": f"B-{i:07d}", "name": f"Стул офисный {i}", "category_id": category_id,
             "book_value": Decimal("1500.00"), "depreciation": Decimal("0.00"), "status": AssetStatus.in_use,
             "responsible_id": employee_id, "version": 1} for i in range(n)]
    for start in range(0, n, 10_000):
        session.execute(Asset.__table__.insert(), rows[start:start + 10_000])
    session.commit()


def run(kind, uri):
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "bench", "TESTING": True})
    figures = {}
    with app.test_request_context():
        Base.metadata.create_all(db.engine)
        session = db.session
        begin_batch(session, username="bench")
        category = AssetCategory(name="Мебель", balance_account="101.36", property_kind="other_movable")
        old, new = Employee(full_name="Иванов И. И."), Employee(full_name="Петрова А. С.")
        session.add_all([category, old, new])
        session.commit()
        for n in SIZES:
            fill(session, n, category.id, old.id)
            ids = session.scalars(select(Asset.id)).all()
            changes = {"responsible_id": new.id, "status": AssetStatus.in_storage, "notes": "Инвентаризация 2026"}
            t0 = time.perf_counter()
            preview = bulk_edit.preview(session, Asset, ids, changes)
            t1 = time.perf_counter()
            applied = bulk_edit.apply(session, Asset, preview.versions, preview.changes)
            t2 = time.perf_counter()
            log_rows = session.scalar(select(func.count()).select_from(ChangeLogEntry)
                                      .where(ChangeLogEntry.batch_id == applied.batch_id))
            assert applied.changed == n == log_rows, (applied.changed, n, log_rows)
            assert session.scalar(select(func.count()).where(Asset.responsible_id == new.id)) == n
            figures[n] = (t1 - t0, t2 - t1, log_rows)
            print(f"{kind:10} {n:>7} assets: preview {t1 - t0:6.2f} s, apply {t2 - t1:6.2f} s, "
                  f"change-log rows {log_rows}", flush=True)
        session.remove()
        db.engine.dispose()
    return figures


def main():
    results = []
    for kind, uri, drop in scratch_databases():
        try:
            figures = run(kind, uri)
        finally:
            drop()
        p, a, rows = figures[10_000]
        results.append(f"RESULT db={kind} preview_10k_s={p:.2f} apply_10k_s={a:.2f} changelog_rows_10k={rows}")
    for line in results:
        print(line)


if __name__ == "__main__":
    main()
