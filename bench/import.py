"""Benchmark: import N assets (default 50,000) from a file the bench writes, dry run and apply timed apart.

    python bench/import.py [--rows 50000] [--format xlsx|xls|ods|csv]   # SQLite in a temp folder
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python bench/import.py   # a scratch PG database

The workbook has the asset list's export headers (Russian) and realistic cells: dates as Excel dates, money
as numbers, references by name («building / room», employee full name). xls and ods are that workbook saved
by LibreOffice (soffice, outside the timing); csv is Excel's «CSV (разделители — точка с запятой)» in
Windows-1251. As the web flow does, the dry run's plan is kept as JSON in an import job and the apply reads
it back from there: bulk INSERT, change log, commit.
Last line: RESULT db=… rows=… dry_run_s=… apply_s=… peak_mb=… format=…
"""
import argparse
import csv
import io
import shutil
import subprocess
import tempfile
import random
import resource
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from models import (Asset, AssetCategory, AssetStatus, Base, Building, ChangeLogEntry, Department,  # noqa: E402
                    Employee, ImportJob, PropertyKind, Role, Room, User, db)
from models.changelog import begin_batch  # noqa: E402
from reports.workbook import Column, Formats, open_workbook, write_table  # noqa: E402
from services import import_jobs  # noqa: E402
from tests.scratch import scratch_database  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def seed_references(session):
    session.execute(insert(AssetCategory), [
        {"name": f"Группа {i}", "balance_account": "101.34", "property_kind": PropertyKind.other_movable}
        for i in range(20)])
    session.execute(insert(Department), [{"name": f"Отдел {i}", "code": f"D{i:02d}"} for i in range(10)])
    session.execute(insert(Employee), [{"full_name": f"Сотрудник {i:03d} Иванович", "personnel_number": f"{i:06d}"}
                                       for i in range(200)])
    session.execute(insert(Building), [{"name": f"Корпус {i}", "address": f"ул. Ленина, {i}"} for i in range(3)])
    building_ids = session.scalars(select(Building.id)).all()
    session.execute(insert(Room), [{"building_id": b, "number": str(100 + i)} for b in building_ids for i in range(30)])
    session.commit()


def asset_columns(app):
    """The asset list's export columns, as the export writes them (Russian headers)."""
    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "model", None) is Asset)
    with app.test_request_context():
        return view.table_columns()


def build_workbook(columns, rows: int, seed=7) -> bytes:
    rnd = random.Random(seed)
    statuses = [AssetStatus.in_use, AssetStatus.in_storage, AssetStatus.under_repair]
    generators = {
        "inventory_number": lambda i: f"ИН-{i:07d}",
        "name": lambda i: rnd.choice(["Ноутбук", "Монитор", "Стул офисный", "Принтер", "Шкаф"]) + f" {i}",
        "category": lambda i: f"Группа {rnd.randrange(20)}",
        "status": lambda i: rnd.choice(statuses),
        "book_value": lambda i: Decimal(rnd.randrange(100_00, 500_000_00)) / 100,
        "residual_value": lambda i: None,
        "responsible": lambda i: f"Сотрудник {rnd.randrange(200):03d} Иванович",
        "department": lambda i: f"D{rnd.randrange(10):02d}",
        "room": lambda i: f"Корпус {rnd.randrange(3)} / {100 + rnd.randrange(30)}",
        "commissioned_on": lambda i: date(2015, 1, 1) + timedelta(days=rnd.randrange(3650)),
        "serial_number": lambda i: f"SN{rnd.randrange(10**9):09d}",
        "useful_life_months": lambda i: rnd.choice([36, 60, 84]),
    }
    cols = [Column(name, header, kind) for name, header, kind in columns]
    buffer = io.BytesIO()
    workbook = open_workbook(buffer)
    write_table(workbook, "Основные средства", cols,
                ([generators.get(c.key, lambda i: None)(i) for c in cols] for i in range(1, rows + 1)),
                Formats(workbook))
    workbook.close()
    return buffer.getvalue()


def convert(data: bytes, target: str) -> bytes:
    """The workbook as LibreOffice saves it in another format (xls, ods), or as a semicolon CSV in cp1251."""
    if target == "xlsx":
        return data
    if target == "csv":
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        for row in sheet.iter_rows():
            writer.writerow([_as_excel_shows(v) for v in row])
        return out.getvalue().encode("cp1251", errors="replace")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("--format xls/ods needs LibreOffice (soffice) to write the file")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bench.xlsx"
        source.write_bytes(data)
        subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to",
                        target, "--outdir", folder, str(source)], check=True, capture_output=True, timeout=900)
        return (Path(folder) / f"bench.{target}").read_bytes()


def _as_excel_shows(value):
    """A cell as Excel writes it into a Russian CSV: dates dd.mm.yyyy, decimal comma."""
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else f"{value:.2f}").replace(".", ",")
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--format", choices=("xlsx", "xls", "ods", "csv"), default="xlsx")
    args = parser.parse_args()

    uri, drop = scratch_database("bench")
    db_name = "postgresql" if uri.startswith("postgresql") else "sqlite"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "bench"})
    try:
        with app.app_context():
            Base.metadata.create_all(db.engine)
            seed_references(db.session)
            columns = asset_columns(app)
            started = time.perf_counter()
            data = convert(build_workbook(columns, args.rows), args.format)
            print(f"{args.format}: {args.rows} rows, {len(data) / 1e6:.1f} MB, written in "
                  f"{time.perf_counter() - started:.1f} s")
            headers = [(name, [header]) for name, header, _ in columns]
            db.session.add(User(username="bench", full_name="Bench", password_hash="-", role=Role.clerk))
            db.session.commit()
            owner = db.session.scalar(select(User.id))
            filename = f"bench.{args.format}"

        with app.test_request_context():
            begin_batch(db.session, username="bench")
            job_id = import_jobs.start(db.session, owner, "asset", filename, data).id
            db.session.commit()
            # As the web flow does: the dry run's plan is kept in the job (JSON), committed…
            started, cpu = time.perf_counter(), time.process_time()
            job = db.session.get(ImportJob, job_id)
            preview = import_jobs.check(db.session, job, headers)
            db.session.commit()
            dry_run_s, dry_run_cpu = time.perf_counter() - started, time.process_time() - cpu
            assert preview.ok, (preview.fatal, preview.errors[:5])
            print(f"dry run: {dry_run_s:.2f} s (CPU {dry_run_cpu:.2f} s)  new={preview.new} changed={preview.changed} "
                  f"errors={len(preview.errors)}")
            db.session.remove()

        with app.test_request_context():
            # …and a later request reads the plan back from the database and applies it.
            begin_batch(db.session, username="bench")
            started, cpu = time.perf_counter(), time.process_time()
            result = import_jobs.apply(db.session, db.session.get(ImportJob, job_id))
            db.session.commit()
            apply_s, apply_cpu = time.perf_counter() - started, time.process_time() - cpu
            print(f"apply:   {apply_s:.2f} s (CPU {apply_cpu:.2f} s)  created={result.created} updated={result.updated}")
            assets = db.session.scalar(select(func.count()).select_from(Asset))
            logged = db.session.scalar(select(func.count()).select_from(ChangeLogEntry)
                                       .where(ChangeLogEntry.batch_id == result.batch_id))
            print(f"assets in database: {assets}, change-log rows of the batch: {logged}")
            db.session.remove()
            db.engine.dispose()
    finally:
        drop()
    total = dry_run_s + apply_s
    print(f"dry run + apply: {total:.2f} s (target < 30 s on SQLite); peak RSS {peak_mb():.0f} MB")
    print(f"RESULT db={db_name} rows={args.rows} dry_run_s={dry_run_s:.2f} apply_s={apply_s:.2f} peak_mb={peak_mb():.0f} "
          f"format={args.format}")


if __name__ == "__main__":
    main()
