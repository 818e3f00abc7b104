"""Benchmark: draft and approve a write-off act of 5,000 assets.

Runs on a scratch SQLite file, or on PostgreSQL when DATABASE_URL says so (in a database of its own
that it creates and drops). Prints seconds for each step; the last line is machine-readable:
``RESULT db=… draft_5k_s=… approve_5k_s=…``.

    /work/main/.venv/bin/python bench/writeoff.py [--assets 5000]
"""
import argparse
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from models import (Asset, AssetCategory, AssetStatus, Base, ChangeLogEntry, Commission, Employee,  # noqa: E402
                    PropertyKind, Role, WriteOffForm, WriteOffReason, db, utcnow)
from models.changelog import begin_batch  # noqa: E402
from services import write_off as wo  # noqa: E402
from services.accounts import create_user  # noqa: E402
from tests.scratch import scratch_database  # noqa: E402


def seed(session, count):
    category = AssetCategory(name="Оргтехника", balance_account="101.34", property_kind=PropertyKind.other_movable,
                             default_useful_life_months=60)
    people = [Employee(full_name=n, position="Специалист") for n in
              ("Смирнов Олег Петрович", "Кузнецова Мария Ивановна", "Попов Андрей Викторович")]
    session.add_all([category, *people])
    session.flush()
    now = utcnow()
    rows = [{"inventory_number": f"BN-{i:07d}", "name": f"Компьютер {i}", "category_id": category.id,
             "book_value": Decimal("55000.00") if i % 3 else Decimal("150000.00"), "depreciation": Decimal("0.00"),
             "commissioned_on": date(2022, 1 + i % 12, 10), "useful_life_months": 60,
             "status": AssetStatus.in_use if i % 4 else AssetStatus.in_storage,
             "created_at": now, "updated_at": now, "version": 1} for i in range(count)]
    session.execute(insert(Asset), rows)
    head = create_user(session, "bench-head", "pw", Role.head, full_name="Начальник Отдела")
    session.commit()
    return people, head


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=5000)
    args = parser.parse_args()
    uri, drop = scratch_database("bench")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "bench"})
    try:
        with app.test_request_context():
            Base.metadata.create_all(db.engine)
            session = db.session
            begin_batch(session, username="bench")
            people, head = seed(session, args.assets)
            ids = session.scalars(select(Asset.id).order_by(Asset.id)).all()
            chair, *members = people
            commission = Commission(name="Комиссия по поступлению и выбытию активов", order_number="1-од",
                                    order_date=date(2026, 1, 12), chair=chair, members=members)
            session.add(commission)
            session.commit()
            request = wo.DraftRequest(act_date=date(2026, 11, 20), form=WriteOffForm.f0504104,
                                      reason=WriteOffReason.wear, commission_id=commission.id, condition="Изношен")

            begin_batch(session, username="bench")
            started = time.perf_counter()
            act, checked = wo.create_draft(session, ids, request)
            session.commit()
            draft_s = time.perf_counter() - started
            lines = len(act.lines)
            print(f"draft:   {draft_s:.3f} s for {lines} lines ({sum(1 for e in checked if not e.ok)} refused)")

            begin_batch(session, username="bench")
            started = time.perf_counter()
            written_off = wo.approve(session, act, head)
            session.commit()
            approve_s = time.perf_counter() - started
            log_rows = session.scalar(select(func.count()).select_from(ChangeLogEntry)
                                      .where(ChangeLogEntry.action == "write_off"))
            print(f"approve: {approve_s:.3f} s for {written_off} assets, {log_rows} change-log rows")
            assert written_off == lines == args.assets
            dialect = db.engine.dialect.name
            session.remove()
        with app.app_context():
            db.engine.dispose()
    finally:
        drop()
    suffix = "5k" if args.assets == 5000 else f"{args.assets}"
    print(f"RESULT db={dialect} draft_{suffix}_s={draft_s:.3f} approve_{suffix}_s={approve_s:.3f}")


if __name__ == "__main__":
    main()
