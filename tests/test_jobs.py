"""Long work as jobs: a large export is queued, runs with progress, and its file waits under «Мои задания»;
the same through the embedded queue (no broker) and through the real Redis."""
import io
import os
import re
import threading
import time
import uuid
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import select

from app import create_app
from models import Job, Role, db, utcnow
from services import jobs
from tests import factories as f
from tests.conftest import login

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def some_assets(app, n):
    with app.app_context():
        category = f.category(db.session)
        for i in range(n):
            f.asset(db.session, inventory_number=f"ИН-{i:04d}", name=f"Стул {i}", category=category)
        db.session.commit()


@pytest.fixture
def small_job_limit(app):
    app.config["EXPORT_JOB_ROWS"] = 3
    yield
    app.config["EXPORT_JOB_ROWS"] = 10_000


def workbook_rows(data: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    return [row for row in sheet.iter_rows(values_only=True)]


def test_large_export_runs_as_a_job_and_its_file_waits_in_my_jobs(app, clerk, small_job_limit):
    some_assets(app, 5)
    response = clerk.get("/admin/asset/export/xlsx/?search=стул")
    assert response.status_code == 302 and "/admin/jobs/" in response.headers["Location"]
    page = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert "Мои задания" in page and "Экспорт в Excel: Основные средства" in page
    assert "5 из 5 строк" in page and "Готово" in page
    link = re.search(r'href="(/admin/jobs/\d+/download)"', page).group(1)
    download = clerk.get(link)
    assert download.status_code == 200
    rows = workbook_rows(download.data)
    assert rows[0][0] == "Инвентарный номер"
    assert [r[0] for r in rows[1:6]] == [f"ИН-{i:04d}" for i in range(5)]

    # Small lists still download at once.
    assert clerk.get("/admin/asset/export/xlsx/?search=Стул 1").status_code == 200


def test_someone_elses_job_is_not_found(app, clerk, client_as, small_job_limit):
    some_assets(app, 5)
    location = clerk.get("/admin/asset/export/xlsx/").headers["Location"]
    job_id = int(re.search(r"job=(\d+)", location).group(1))
    other = client_as(Role.accountant)
    assert other.get(f"/admin/jobs/{job_id}/download").status_code == 404
    assert other.get(f"/admin/jobs/{job_id}/state").status_code == 404
    assert "Экспорт в Excel" not in other.get("/admin/jobs/").get_data(as_text=True)
    state = clerk.get(f"/admin/jobs/{job_id}/state").get_json()
    assert state["status"] == "done" and state["percent"] == 100


def test_files_are_removed_when_their_time_is_up(app, clerk, small_job_limit):
    some_assets(app, 5)
    location = clerk.get("/admin/asset/export/xlsx/").headers["Location"]
    job_id = int(re.search(r"job=(\d+)", location).group(1))
    with app.app_context():
        job = db.session.get(Job, job_id)
        path = jobs.stored_file(app, job)
        assert path.is_file()
        job.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    page = clerk.get("/admin/jobs/").get_data(as_text=True)
    assert "Файл удалён" in page
    assert not path.exists()
    assert clerk.get(f"/admin/jobs/{job_id}/download").status_code == 404


def run_through_queue(app, extra_config, users, start_worker):
    """Queue a large export through ``queue_app`` and let its worker run it; return the finished job."""
    queue_app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                            "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test", "EXPORT_JOB_ROWS": 3,
                            "JOBS_FOLDER": app.config["JOBS_FOLDER"], **extra_config})
    client = login(queue_app.test_client(), Role.clerk)
    location = client.get("/admin/asset/export/xlsx/").headers["Location"]
    job_id = int(re.search(r"job=(\d+)", location).group(1))
    stop = start_worker(queue_app)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state = client.get(f"/admin/jobs/{job_id}/state").get_json()
            if state["finished"]:
                break
            time.sleep(0.2)
    finally:
        stop()
    assert state["status"] == "done", state
    rows = workbook_rows(client.get(f"/admin/jobs/{job_id}/download").data)
    assert len([r for r in rows if r[0] and str(r[0]).startswith("ИН-")]) == 5
    return state


def test_embedded_queue_runs_jobs_in_the_web_process(app, users):
    """No broker configured (the README's first command): the web process's own thread takes the job."""
    some_assets(app, 5)
    run_through_queue(app, {"JOBS_QUEUE_NAME": f"test-{uuid.uuid4().hex[:6]}"}, users, lambda queue_app: lambda: None)


def redis_available() -> bool:
    try:
        import redis
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def test_redis_queue_and_a_separate_worker(app, users):
    """With REDIS_URL the web process only queues; a worker (here a thread with its own app) runs the job."""
    if not redis_available():
        if os.environ.get("KHOZCHAST_REQUIRE_REDIS"):
            pytest.fail(f"no Redis at {REDIS_URL}, and CI requires it")
        pytest.skip(f"no Redis at {REDIS_URL} (CI starts one)")
    some_assets(app, 5)
    name = f"khozchast-test-{uuid.uuid4().hex[:8]}"  # our own key prefix on a shared Redis
    config = {"REDIS_URL": REDIS_URL, "JOBS_QUEUE_NAME": name}

    def start_worker(queue_app):
        worker_app = create_app({"TESTING": True, "SECRET_KEY": "test", "JOBS_FOLDER": app.config["JOBS_FOLDER"],
                                 "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], **config})
        queue = jobs.queue_of(worker_app)
        assert len(queue.huey) == 1  # the message waits in Redis until a worker takes it
        stop = threading.Event()
        thread = threading.Thread(target=queue.work, args=(stop, 0.1), daemon=True)
        thread.start()

        def halt():
            stop.set()
            thread.join(10)
            queue.huey.storage.flush_all()
        return halt

    run_through_queue(app, config, users, start_worker)


def test_job_messages_are_json_not_pickle():
    from huey.registry import Message

    serializer = jobs.JsonSerializer()
    data = serializer.serialize(Message("id-1", "khozchast.run_job", None, 0, 0, None, (7,), {}, None, None))
    assert data.startswith(b"{") and b"khozchast.run_job" in data
    assert serializer.deserialize(data).args == [7]


def test_healthz_checks_database_and_broker(app, client_as):
    anonymous = app.test_client()
    answer = anonymous.get("/healthz")
    assert answer.status_code == 200 and answer.get_json() == {"status": "ok", "database": "ok"}

    broken = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": app.config[
        "SQLALCHEMY_DATABASE_URI"], "REDIS_URL": "redis://127.0.0.1:1/0"})
    answer = broken.test_client().get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json()["database"] == "ok" and answer.get_json()["broker"] != "ok"


def test_depreciation_runs_as_a_job(app, clerk, client_as):
    from datetime import date
    from decimal import Decimal

    from models import Asset

    with app.app_context():
        f.asset(db.session, inventory_number="ИН-1", book_value=Decimal("120000.00"), useful_life_months=60,
                commissioned_on=date(2026, 1, 15))
        db.session.commit()
    response = clerk.post("/admin/jobs/depreciation/", data={"month": "02.2026"})
    assert response.status_code == 302
    page = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert "Амортизация за 02.2026" in page and "Готово" in page
    with app.app_context():
        assert db.session.scalars(select(Asset.depreciation)).one() > 0

    again = clerk.get(clerk.post("/admin/jobs/depreciation/", data={"month": "02.2026"}).headers["Location"])
    assert "уже начислена" in again.get_data(as_text=True)
    assert client_as(Role.accountant).post("/admin/jobs/depreciation/", data={"month": "03.2026"}).status_code == 403


def test_large_import_is_written_by_a_job(app, clerk):
    from models import ChangeLogEntry, Employee
    from tests.import_support import csv_bytes

    app.config["IMPORT_JOB_ROWS"] = 1
    try:
        data = csv_bytes([["Табельный номер", "ФИО", "Должность"],
                          ["000123", "Петрова Анна Сергеевна", "Главный бухгалтер"],
                          ["000777", "Новиков Илья", "Водитель"]], encoding="cp1251")
        upload = clerk.post("/admin/employee/import/", data={"file": (io.BytesIO(data), "staff.csv")},
                            content_type="multipart/form-data")
        preview_url = upload.location
        assert 'id="import-apply"' in clerk.get(preview_url).get_data(as_text=True)
        applied = clerk.post(preview_url + "apply/")
        assert applied.status_code == 302 and "/admin/jobs/" in applied.location
        page = clerk.get(applied.location).get_data(as_text=True)
        assert "Импорт staff.csv" in page and "Готово" in page and "Создано: 2" in page
        with app.app_context():
            assert sorted(db.session.scalars(select(Employee.full_name))) == ["Новиков Илья", "Петрова Анна Сергеевна"]
            assert set(db.session.scalars(select(ChangeLogEntry.username).where(ChangeLogEntry.entity == "employee"))) \
                == {"clerk"}
            db.session.remove()
    finally:
        app.config["IMPORT_JOB_ROWS"] = 5000
