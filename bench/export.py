"""Benchmark of the list export (not a test; run it by hand).

    /work/main/.venv/bin/python bench/export.py [--rows 100000] [--million-rows 1000000] [--skip-million]
        [--redis redis://127.0.0.1:6379/0]

Fills a scratch database (a SQLite temp file, or a fresh database next to DATABASE_URL when it
names PostgreSQL) with N assets, then, each in a fresh subprocess so peak RSS is its own:

* ours: GET /admin/asset/export/xlsx/ through the test client, the streamed body consumed;
* Flask-Admin's built-in xlsx export (tablib) of the same model, columns and order: a plain
  flask_admin ModelView with export_types=['xlsx'], export_max_rows=0, same client path;
* raw xlsxwriter: the same rows, already in a Python list, written cell by cell with the public
  API in constant_memory mode (the ceiling for anything built on xlsxwriter);
* peak memory of ours at 10k rows and at 1M rows;
* the whole list exported through HTTP as a job under gunicorn (gunicorn.conf.py): at N rows on the embedded
  queue (no broker: the web worker's thread runs it), at 1M rows through Redis and a ``flask jobs-worker``
  process (its peak RSS), polling the job's progress as «Мои задания» does.

The last line is machine-readable:
RESULT ours_rows_per_s=… raw_rows_per_s=… flask_admin_rows_per_s=… peak_mb_10k=… peak_mb_1m=…
export_job_1m_s=… worker_peak_mb=… worker_killed=0|1 embedded_job_100k_s=…
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password"


def make_app(url: str):
    from app import create_app
    # EXPORT_JOB_ROWS=0: the in-process runs measure the streamed download itself, never a job.
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                       "SECRET_KEY": "bench", "EXPORT_JOB_ROWS": 0})


def fill(url: str, rows: int) -> None:
    """Reference data, one admin user and ``rows`` assets, inserted in bulk (executemany)."""
    from sqlalchemy import insert

    from models import (Asset, AssetCategory, AssetStatus, Base, Building, Contract, ContractKind, ContractStatus,
                        Department, Employee, ProcurementMethod, PropertyKind, Role, Room, Supplier, db)
    from models.changelog import begin_batch
    from services.accounts import create_user

    app = make_app(url)
    rnd = random.Random(4)
    with app.app_context():
        Base.metadata.create_all(db.engine)
        begin_batch(db.session, username="bench")
        create_user(db.session, "bench", PASSWORD, Role.accountant, full_name="Bench")
        db.session.commit()
        with db.engine.begin() as conn:
            conn.execute(insert(Department), [{"name": f"Отдел {i}", "code": f"D{i}"} for i in range(1, 21)])
            conn.execute(insert(Employee), [{"full_name": f"Сотрудник {i} Иванович", "personnel_number": f"{i:06d}",
                                             "is_responsible": True, "is_driver": False, "is_active": True,
                                             "department_id": 1 + i % 20} for i in range(1, 301)])
            conn.execute(insert(AssetCategory), [
                {"name": f"Группа {i}", "okof_code": "320.26.20.11.110", "balance_account": f"101.3{i % 6}",
                 "property_kind": PropertyKind.other_movable, "default_useful_life_months": 36}
                for i in range(1, 31)])
            conn.execute(insert(Building), [{"name": f"Здание {i}", "address": f"ул. Ленина, {i}"} for i in range(1, 6)])
            conn.execute(insert(Room), [{"building_id": 1 + i % 5, "number": str(100 + i), "floor": 1 + i % 4}
                                        for i in range(1, 501)])
            conn.execute(insert(Supplier), [{"full_name": f"ООО «Поставщик {i}»", "short_name": f"Поставщик {i}",
                                             "inn": "7707083893", "kpp": f"77{i:07d}"} for i in range(1, 101)])
            conn.execute(insert(Contract), [
                {"number": f"К-{i}", "signed_on": date(2024, 1, 1) + timedelta(days=i), "supplier_id": 1 + i % 100,
                 "subject": "Поставка оборудования", "kind": ContractKind.supply,
                 "procurement_method": ProcurementMethod.auction, "amount": Decimal("500000.00"),
                 "status": ContractStatus.active} for i in range(1, 201)])
            statuses = list(AssetStatus)[:4]
            batch = []
            for n in range(1, rows + 1):
                value = Decimal(rnd.randint(100_00, 2_000_000_00)) / 100
                batch.append({
                    "inventory_number": f"ИН-{n:08d}", "name": f"Компьютер в сборе {n}", "category_id": 1 + n % 30,
                    "serial_number": f"SN{n * 7919 % 10**9:09d}", "year_made": 2015 + n % 10,
                    "accepted_on": date(2020, 1, 1) + timedelta(days=n % 1500),
                    "commissioned_on": date(2020, 1, 10) + timedelta(days=n % 1500),
                    "book_value": value, "depreciation": (value / 3).quantize(Decimal("0.01")),
                    "useful_life_months": 36 + n % 60, "balance_account": f"101.3{n % 6}",
                    "status": statuses[n % 4], "responsible_id": 1 + n % 300, "department_id": 1 + n % 20,
                    "room_id": 1 + n % 500, "supplier_id": 1 + n % 100, "contract_id": 1 + n % 200,
                    "notes": "Инв. опись 2025" if n % 7 == 0 else None, "version": 1,
                })
                if len(batch) == 20_000:
                    conn.execute(insert(Asset), batch)
                    batch = []
            if batch:
                conn.execute(insert(Asset), batch)
    with app.app_context():
        db.engine.dispose()


# --- measurements, each in its own process --------------------------------------------------

def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def login(app):
    client = app.test_client()
    response = client.post("/admin/login/", data={"username": "bench", "password": PASSWORD})
    assert response.status_code == 302, response.data[:300]
    return client


def download(client, url: str) -> tuple[float, int]:
    """Seconds (wall clock) to receive the whole streamed body, and its size."""
    started = time.perf_counter()
    response = client.get(url, buffered=False)
    assert response.status_code == 200, response.status_code
    size = 0
    for chunk in response.response:
        size += len(chunk)
    response.close()
    return time.perf_counter() - started, size


def worker_ours(url: str) -> dict:
    app = make_app(url)
    client = login(app)
    cpu = time.process_time()
    seconds, size = download(client, "/admin/asset/export/xlsx/")
    return {"seconds": seconds, "cpu": time.process_time() - cpu, "bytes": size, "peak_mb": peak_mb()}


def worker_flask_admin(url: str) -> dict:
    from flask_admin.contrib.sqla import ModelView

    from admin_views.assets import AssetView
    from models import Asset, db

    class PlainExport(ModelView):
        can_export = True
        export_types = ["xlsx"]
        export_max_rows = 0
        column_list = AssetView.column_export_list
        column_default_sort = "inventory_number"

    app = make_app(url)
    app.extensions["admin"][0].add_view(PlainExport(Asset, db, endpoint="plain_asset", url="/admin/plain_asset"))
    client = login(app)
    cpu = time.process_time()
    seconds, size = download(client, "/admin/plain_asset/export/xlsx/")
    return {"seconds": seconds, "cpu": time.process_time() - cpu, "bytes": size, "peak_mb": peak_mb()}


def worker_raw(url: str) -> dict:
    """The rows our export writes, first fetched into a list (not timed), then plain xlsxwriter."""
    import xlsxwriter
    from flask import url_for  # noqa: F401

    from models import Role, User, db

    app = make_app(url)
    with app.test_request_context("/admin/asset/export/xlsx/"):
        from flask_login import login_user

        view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", None) == "asset")
        login_user(db.session.query(User).filter_by(role=Role.accountant).first())
        fields, rows = view.export_rows(view.found_query())
        rows = [list(r) for r in rows]
        kinds = [f.column.kind for f in fields]
    path = tempfile.mktemp(suffix=".xlsx")
    started, cpu = time.perf_counter(), time.process_time()
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet()
    money = wb.add_format({"num_format": '#,##0.00\\ "₽"'})
    day = wb.add_format({"num_format": "dd.mm.yyyy"})
    for c, f in enumerate(fields):
        ws.write_string(0, c, f.column.header)
    writers = []
    for kind in kinds:
        if kind == "money":
            writers.append(lambda r, c, v: ws.write_number(r, c, float(v), money))
        elif kind == "int":
            writers.append(ws.write_number)
        elif kind == "date":
            writers.append(lambda r, c, v: ws.write_datetime(r, c, v, day))
        else:
            writers.append(lambda r, c, v: ws.write_string(r, c, str(v)))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is not None:
                writers[c](r, c, value)
    wb.close()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    os.unlink(path)
    return {"seconds": seconds, "cpu": cpu, "rows": len(rows), "peak_mb": peak_mb()}


WORKERS = {"ours": worker_ours, "flask_admin": worker_flask_admin, "raw": worker_raw}


def job_export(url: str, redis_url: str | None) -> dict:
    """The whole list exported through HTTP as a job, under gunicorn with the project's gunicorn.conf.py:
    with ``redis_url`` a separate ``flask jobs-worker`` process runs it; without, the web worker's own thread
    (the embedded default). Returns seconds from the click to the finished file, the progress seen on the way,
    the worker's peak RSS, and whether gunicorn killed a worker."""
    import re
    import shutil
    import uuid

    sys.path.insert(0, str(ROOT / "bench"))
    from http_tools import Client, Server

    folder = tempfile.mkdtemp(prefix="khozchast-bench-jobs-")
    env = {"JOBS_FOLDER": folder, "JOBS_QUEUE_NAME": f"khozchast-bench-{uuid.uuid4().hex[:8]}",
           "GUNICORN_ACCESSLOG": os.devnull}
    if redis_url:
        env["REDIS_URL"] = redis_url
    worker = None
    try:
        with Server(url, env=env) as server:
            if redis_url:
                worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs-worker"], cwd=ROOT,
                                          env={**server.env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            client = Client(server.port)
            client.login("bench", PASSWORD)
            started = time.perf_counter()
            status, _, headers = client.request("GET", "/admin/asset/export/xlsx/")
            assert status == 302 and "job=" in headers.get("Location", ""), (status, headers)
            job_id = int(re.search(r"job=(\d+)", headers["Location"]).group(1))
            seen, state = [], {}
            while time.perf_counter() - started < 1800:
                state = json.loads(client.get(f"/admin/jobs/{job_id}/state")[1])
                seen.append(state.get("percent"))
                if state["finished"]:
                    break
                time.sleep(1)
            seconds = time.perf_counter() - started
            _, download, _ = client.request("GET", f"/admin/jobs/{job_id}/download")
            peak = None
            source = worker.pid if worker else server.process.pid
            pids = [source] if worker else [int(p) for p in subprocess.run(
                ["pgrep", "-P", str(source)], capture_output=True, text=True, check=False).stdout.split()]
            for pid in pids:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak or 0, int(line.split()[1]) / 1024)
        log = Path(ROOT / "instance" / f"bench-gunicorn-{server.port}.log").read_text()
    finally:
        if worker:
            worker.terminate()
            worker.wait(30)
        shutil.rmtree(folder, ignore_errors=True)
    return {"seconds": seconds, "status": state.get("status"), "rows": state.get("rows"), "bytes": len(download),
            "progress_seen": sorted({p for p in seen if p is not None}), "peak_mb": peak,
            "worker_killed": "WORKER TIMEOUT" in log}


def run_worker(name: str, url: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", name, "--url", url],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--million-rows", type=int, default=1_000_000, help="rows of the large memory run")
    parser.add_argument("--skip-million", action="store_true", help="skip the large memory run")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
                        help="the broker of the 1M export job")
    parser.add_argument("--worker", choices=WORKERS)
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args.url)))
        return

    def dataset(rows):
        from tests.scratch import scratch_database

        url, drop = scratch_database(f"bench_r{rows}")
        started = time.perf_counter()
        fill(url, rows)
        print(f"  {rows:,} assets generated in {time.perf_counter() - started:.1f} s", flush=True)
        return url, drop

    print(f"Export of the asset list, {args.rows:,} rows, database "
          f"{'PostgreSQL' if (os.environ.get('DATABASE_URL') or '').startswith('postgres') else 'SQLite'}")
    url, drop = dataset(args.rows)
    try:
        results = {name: run_worker(name, url) for name in ("ours", "raw", "flask_admin")}
        embedded = job_export(url, None)  # no broker: the README's first command
        print(f"job, embedded queue (no broker), {args.rows:,} rows: {embedded}", flush=True)
    finally:
        drop()
    rates = {name: args.rows / r["seconds"] for name, r in results.items()}
    print("(wall-clock rows/s; CPU seconds beside them show the share a busy machine took)")
    print(f"{'':24}{'rows/s':>10}{'seconds':>10}{'CPU s':>10}{'peak MB':>10}")
    for name, title in (("ours", "ours (streamed)"), ("raw", "raw xlsxwriter (list)"),
                        ("flask_admin", "Flask-Admin xlsx")):
        r = results[name]
        print(f"{title:24}{rates[name]:>10,.0f}{r['seconds']:>10.2f}{r['cpu']:>10.2f}{r['peak_mb']:>10.1f}")
    print(f"ours / raw = {rates['ours'] / rates['raw']:.2f} (target >= 0.5); "
          f"ours / Flask-Admin = {rates['ours'] / rates['flask_admin']:.1f} (target >= 5)")

    peaks = {}
    for rows in (10_000, None if args.skip_million else args.million_rows):
        if rows is None:
            continue
        url, drop = dataset(rows)
        try:
            r = run_worker("ours", url)
            if rows == args.million_rows:
                job = job_export(url, args.redis)
                print(f"job, Redis and a jobs-worker process, {rows:,} rows: {job}", flush=True)
        finally:
            drop()
        peaks[rows] = r["peak_mb"]
        print(f"ours at {rows:>9,} rows: {r['seconds']:.1f} s, {rows / r['seconds']:,.0f} rows/s, "
              f"peak RSS {r['peak_mb']:.1f} MB", flush=True)
    peak_10k = peaks[10_000]
    peak_1m = peaks.get(args.million_rows, float("nan"))
    if not args.skip_million:
        print(f"peak growth 10k -> {args.million_rows:,}: {peak_1m - peak_10k:.1f} MB (target <= 60)")
    job_part = ""
    if not args.skip_million:
        job_part = (f" export_job_1m_s={job['seconds']:.1f} worker_peak_mb={job['peak_mb']:.1f}"
                    f" worker_killed={int(job['worker_killed'])}")
    print(f"RESULT ours_rows_per_s={rates['ours']:.0f} raw_rows_per_s={rates['raw']:.0f} "
          f"flask_admin_rows_per_s={rates['flask_admin']:.0f} peak_mb_10k={peak_10k:.1f} peak_mb_1m={peak_1m:.1f}"
          f"{job_part} embedded_job_{args.rows // 1000}k_s={embedded['seconds']:.1f}")


if __name__ == "__main__":
    main()
